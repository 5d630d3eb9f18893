"""Help > Keyboard shortcuts: every key the studio answers, read from the live actions.

Nothing here lists keys by hand: the dialog walks the main window's menus and the actions of
each workspace page built so far (the editors' toolbars, lists and canvases), so what it shows
is what the keys do and cannot drift from them. Rows are grouped by menu, then by workspace;
the search box filters on the action's name or its keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NATIVE = QKeySequence.SequenceFormat.NativeText


def _menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _menu_actions(sub)
        elif not action.isSeparator():
            yield action


def _label(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def groups(
    window: QMainWindow, pages: Iterable[tuple[str, QWidget]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(action, keys)]) for the menus, then for each built page."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    seen: set[int] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = []
        for action in _menu_actions(menu):
            seen.add(id(action))
            if action.shortcuts():
                keys = ", ".join(s.toString(NATIVE) for s in action.shortcuts())
                rows.append((_label(action), keys))
        if rows:
            out.append((_label(top), rows))
    for title, page in pages:
        rows = []
        for action in page.findChildren(QAction):
            if id(action) in seen or not action.shortcuts():
                continue
            seen.add(id(action))
            row = (_label(action), ", ".join(s.toString(NATIVE) for s in action.shortcuts()))
            if row not in rows:
                rows.append(row)
        if rows:
            out.append((title, sorted(rows)))
    return out


class ShortcutsDialog(QDialog):
    """The searchable list of keys, grouped by menu and workspace."""

    def __init__(
        self, window: QMainWindow, pages: Iterable[tuple[str, QWidget]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search actions or keys"))
        self.search.setAccessibleName(self.tr("Search the shortcuts"))
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        for title, rows in groups(window, pages):
            group = QTreeWidgetItem(self.tree, [title])
            for text, keys in rows:
                QTreeWidgetItem(group, [text, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.filter)
        self.resize(560, 520)

    def _rows(self) -> Iterator[tuple[QTreeWidgetItem, QTreeWidgetItem]]:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                row = group.child(j)
                assert row is not None
                yield group, row

    def filter(self, text: str) -> None:
        """Show the rows whose action or keys contain ``text`` (and their groups)."""
        needle = text.strip().casefold()
        shown: dict[int, int] = {}
        for group, row in self._rows():
            hit = not needle or any(needle in row.text(c).casefold() for c in (0, 1))
            row.setHidden(not hit)
            shown[id(group)] = shown.get(id(group), 0) + hit
            group.setHidden(shown[id(group)] == 0)

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """(group, action, keys) of the rows shown (for tests and accessibility checks)."""
        return [
            (group.text(0), row.text(0), row.text(1))
            for group, row in self._rows()
            if not group.isHidden() and not row.isHidden()
        ]
