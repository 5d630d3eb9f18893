"""The Reviews workspace: the review list, the review editor and the catalog at hand."""
