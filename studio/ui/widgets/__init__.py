"""Widgets and helpers that several workspaces share; no feature folder imports another.

``catalog_picker`` (the catalog at hand in the look, shop and review editors), ``catalog_model``
(the lazy product list model behind it and the browser's grid), ``product_rows``, ``images``
(product and photo thumbnails off the UI thread), ``labels`` (prices, stock, counts), ``mime``
(the product drag payload), ``photo_import``, ``sheet_export`` (a look or board as PNG, JPEG or
HTML), ``checks`` (the Checks tabs' issue list and the conflict watch of the look, board and
review editors), ``message_bar``, ``gestures`` and ``id_list``.
"""
