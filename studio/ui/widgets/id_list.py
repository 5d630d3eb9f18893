"""Lists of stored things (shops, boards) shown in a ``QListWidget``, each item carrying its id.

A list is filled again after every edit (from a worker's read of the store); the item the user
had chosen must stay chosen - or the one they asked for (a new or restored entry), else the
first, which is the most recently edited - and the page must hear of it only when the choice
really changed, not once per item added.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def current_id(view: QListWidget) -> str | None:
    """The id of the current item, or None."""
    item = view.currentItem()
    return str(item.data(ID_ROLE)) if item is not None else None


def id_item(text: str, item_id: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(ID_ROLE, item_id)
    return item


def refill(view: QListWidget, items: Iterable[QListWidgetItem], want: str | None) -> bool:
    """Show ``items`` in ``view`` with ``want`` (else the first) current; signals stay quiet
    meanwhile. True if the current id changed (or nothing could be chosen)."""
    previous = current_id(view)
    chosen = None
    view.blockSignals(True)
    try:
        view.clear()
        for item in items:
            view.addItem(item)
            if want is not None and item.data(ID_ROLE) == want:
                chosen = item
        if chosen is None and view.count():
            chosen = view.item(0)
        if chosen is not None:
            view.setCurrentItem(chosen)
    finally:
        view.blockSignals(False)
    return current_id(view) != previous or chosen is None
