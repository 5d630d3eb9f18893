"""The catalog feature's public surface, for the main window and for other features.

Look and shop editors accept products dragged out of the browser with ``decode_product_ids``
(MIME type ``MIME_TYPE``, documented in ``mime.py``).
"""

from __future__ import annotations

from studio.ui.catalog.grid_view import ProductGridView, ViewMode
from studio.ui.catalog.import_dialog import ImportController, ImportJob
from studio.ui.catalog.view import CatalogView
from studio.ui.widgets.mime import MIME_TYPE, decode_product_ids, product_mime_data

__all__ = [
    "MIME_TYPE",
    "CatalogView",
    "ImportController",
    "ImportJob",
    "ProductGridView",
    "ViewMode",
    "decode_product_ids",
    "product_mime_data",
]
