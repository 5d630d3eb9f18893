"""The catalog browser feature: search, facets, a virtual product grid, detail and import."""
