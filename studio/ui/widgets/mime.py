"""The drag-and-drop format for catalog products, shared by the browser and future editors.

MIME type ``application/x-vitrine-product-ids``; the payload is UTF-8 JSON::

    {"version": 1, "product_ids": [12, 345, 6789]}

Product ids are the local store's ``products.id``. The same drag also carries ``text/plain``
(one title per line) so dropping into a text editor or a chat pastes something readable.
A look or shop editor accepts a drop with ``decode_product_ids(event.mimeData())``.

The clipboard carries the same data: ``install_copy`` gives a product list (the catalog's
grid, a picker) Ctrl+C, which puts its selection there, and an editor pastes it with
``decode_product_ids(QGuiApplication.clipboard().mimeData())``. A merchant's product page,
dragged from a browser or copied as text, arrives as a web link: ``product_links`` reads
those, and the editor finds the product by its landing link (``CatalogStore.ids_by_link``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QWidget

MIME_TYPE = "application/x-vitrine-product-ids"
MIME_VERSION = 1


def encode_payload(product_ids: Iterable[int]) -> bytes:
    """The JSON payload for ``product_ids`` (plain ints, in the order given)."""
    ids = [int(i) for i in product_ids]
    return json.dumps({"version": MIME_VERSION, "product_ids": ids}).encode("utf-8")


def decode_payload(data: bytes) -> list[int]:
    """Product ids from a payload; ``ValueError`` for anything that is not version 1 ids."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a {MIME_TYPE} payload: {exc}") from exc
    if not isinstance(obj, dict) or obj.get("version") != MIME_VERSION:
        raise ValueError(f"unsupported {MIME_TYPE} payload version")
    ids = obj.get("product_ids")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise ValueError(f"{MIME_TYPE} payload without a list of integer product_ids")
    return ids


def product_mime_data(product_ids: Sequence[int], titles: Sequence[str] = ()) -> QMimeData:
    """A ``QMimeData`` carrying ``product_ids`` (and their titles as plain text)."""
    mime = QMimeData()
    mime.setData(MIME_TYPE, encode_payload(product_ids))
    if titles:
        mime.setText("\n".join(titles))
    return mime


def decode_product_ids(mime: QMimeData) -> list[int]:
    """The product ids a drop carries, or ``[]`` when it carries none (or a bad payload)."""
    if not mime.hasFormat(MIME_TYPE):
        return []
    try:
        return decode_payload(bytes(mime.data(MIME_TYPE).data()))
    except ValueError:
        return []


def product_links(mime: QMimeData | None, most: int = 20) -> list[str]:
    """The web links a drop or the clipboard carries (a product page dragged from a browser,
    or its address copied as text), at most ``most``, each once."""
    if mime is None or mime.hasFormat(MIME_TYPE):
        return []
    # The pickers' own test of what a link is (``www.`` without a scheme counts too).
    from studio.store.search_pick import looks_like_link

    found: list[str] = []
    if mime.hasUrls():
        found += [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
    if mime.hasText():
        found += [w for w in mime.text().split() if looks_like_link(w)]
    return list(dict.fromkeys(found))[:most]


def install_copy(view: QWidget, selection: Callable[[], object]) -> QAction:
    """Give ``view`` Copy (Ctrl+C while it has the focus): ``selection()`` makes the products'
    ``QMimeData`` (None: nothing selected, the clipboard is left alone)."""
    action = QAction(view.tr("Copy"), view)
    action.setObjectName("copyProducts")
    action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Copy))
    # Only while the list has the focus: a text field's Ctrl+C elsewhere stays its own.
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def copy() -> None:
        mime = selection()
        if isinstance(mime, QMimeData) and decode_product_ids(mime):
            QGuiApplication.clipboard().setMimeData(mime)  # the clipboard owns it now

    action.triggered.connect(copy)
    view.addAction(action)
    return action
