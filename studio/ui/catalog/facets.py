"""The facet sidebar: sort order plus checkable facet values with counts for the current query.

Counts come from ``CatalogStore.facets`` run in a worker by the catalog view; this widget only
shows them and turns the ticked values into a ``SearchQuery``. Within a facet the ticked values
are OR-ed, across facets AND-ed (the store's semantics). Ticked values stay listed even when
the new counts no longer include them, so the user can always untick what they ticked.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import Facets, FacetValue, SearchQuery, SortKey
from studio.core.product import Availability
from studio.ui.widgets.colours import visible_check_boxes
from studio.ui.widgets.labels import facet_value_label, format_count

MAX_VALUES = 40  # the most frequent values per facet; a brand facet can have thousands
FACETS: tuple[str, ...] = (
    "merchant",
    "brand",
    "category",
    "price_band",
    "availability",
    "on_sale",
    "commission",  # hidden while no product has a platform rate (its group has no values)
)
_TRUE = {"1", "true", "True", "yes"}
ValueRole = Qt.ItemDataRole.UserRole + 1


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for c in (group.child(i) for i in range(group.childCount())) if c is not None]


class FacetSidebar(QWidget):
    """Sort combo on top, then one expandable group of checkable values per facet."""

    #: The ticked values or the sort order changed.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles = {
            "merchant": self.tr("Merchant"),
            "brand": self.tr("Brand"),
            "category": self.tr("Category"),
            "price_band": self.tr("Price"),
            "availability": self.tr("Availability"),
            "on_sale": self.tr("Sale"),
            "commission": self.tr("Commission"),
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        sort_label = QLabel(self.tr("Sort by"), self)
        self.sort_combo = QComboBox(self)
        self.sort_combo.setAccessibleName(self.tr("Sort order"))
        sort_label.setBuddy(self.sort_combo)
        for key, text in (
            (SortKey.RELEVANCE, self.tr("Relevance")),
            (SortKey.PRICE_ASC, self.tr("Price: low to high")),
            (SortKey.PRICE_DESC, self.tr("Price: high to low")),
            (SortKey.NEWEST, self.tr("Newest")),
            (SortKey.COMMISSION, self.tr("Commission: highest first")),
        ):
            self.sort_combo.addItem(text, key.value)
        self.sort_combo.setItemData(
            self.sort_combo.findData(SortKey.COMMISSION.value),
            self.tr(
                "The platform's commission rates; products of merchants you imported yourself "
                "have none and come last."
            ),
            Qt.ItemDataRole.ToolTipRole,
        )
        # Said where the choice is made: amounts in two currencies are never compared.
        for key in (SortKey.PRICE_ASC, SortKey.PRICE_DESC):
            self.sort_combo.setItemData(
                self.sort_combo.findData(key.value),
                self.tr(
                    "Prices in different currencies are not compared: products are grouped "
                    "by currency (alphabetically), then sorted by price within each."
                ),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.sort_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("Filters"))
        visible_check_boxes(self.tree)
        self._groups: dict[str, QTreeWidgetItem] = {}
        for facet in FACETS:
            group = QTreeWidgetItem(self.tree, [self._titles[facet]])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setExpanded(facet in ("merchant", "price_band", "availability", "commission"))
            self._groups[facet] = group
        self.tree.itemChanged.connect(self._item_changed)
        layout.addWidget(sort_label)
        layout.addWidget(self.sort_combo)
        layout.addWidget(self.tree, 1)

    # -- state ------------------------------------------------------------------------------

    def sort_key(self) -> SortKey:
        return SortKey(self.sort_combo.currentData())

    def set_sort_key(self, key: SortKey | str) -> None:
        index = self.sort_combo.findData(SortKey(key).value)
        if index >= 0:
            self.sort_combo.setCurrentIndex(index)

    def selected(self) -> dict[str, set[str]]:
        """Ticked values per facet."""
        out: dict[str, set[str]] = {}
        for facet, group in self._groups.items():
            ticked = {
                child.data(0, ValueRole)
                for child in _children(group)
                if child.checkState(0) == Qt.CheckState.Checked
            }
            if ticked:
                out[facet] = ticked
        return out

    def set_selected(self, selected: dict[str, set[str]]) -> None:
        """Tick exactly ``selected`` (values missing from the list are added with no count)."""
        with QSignalBlocker(self.tree):
            for facet, group in self._groups.items():
                wanted = set(selected.get(facet, ()))
                for child in _children(group):
                    value = child.data(0, ValueRole)
                    child.setCheckState(
                        0, Qt.CheckState.Checked if value in wanted else Qt.CheckState.Unchecked
                    )
                    wanted.discard(value)
                for value in sorted(wanted):
                    self._add_value(group, facet, FacetValue(value, value, 0), True)

    def apply_to(self, query: SearchQuery) -> SearchQuery:
        """``query`` with this sidebar's filters and sort order."""
        sel = self.selected()
        on_sale = sel.get("on_sale", set())
        sale: bool | None = None
        if len(on_sale) == 1:
            sale = next(iter(on_sale)) in _TRUE
        availability = set()
        for value in sel.get("availability", ()):
            try:
                availability.add(Availability(value))
            except ValueError:
                continue
        return dataclasses.replace(
            query,
            merchants=frozenset(sel.get("merchant", ())),
            brands=frozenset(sel.get("brand", ())),
            categories=frozenset(sel.get("category", ())),
            price_bands=frozenset(int(v) for v in sel.get("price_band", ()) if v.isdigit()),
            availability=frozenset(availability),
            on_sale=sale,
            commission_bands=frozenset(
                int(v) for v in sel.get("commission", ()) if v.lstrip("-").isdigit()
            ),
            sort=self.sort_key(),
        )

    def clear(self) -> None:
        self.set_selected({})
        self.changed.emit()

    # -- counts -----------------------------------------------------------------------------

    def set_facets(self, facets: Facets) -> None:
        """Show the counts of ``facets``, keeping the ticks."""
        selected = self.selected()
        with QSignalBlocker(self.tree):
            for facet, group in self._groups.items():
                values: tuple[FacetValue, ...] = getattr(facets, facet)
                ticked = selected.get(facet, set())
                group.takeChildren()
                shown = [v for v in values if v.count > 0][:MAX_VALUES]
                listed = {v.value for v in shown}
                shown += [v for v in values if v.value in ticked and v.value not in listed]
                for facet_value in shown:
                    self._add_value(group, facet, facet_value, facet_value.value in ticked)
                    ticked = ticked - {facet_value.value}
                for missing in sorted(ticked):  # ticked but absent from this query's counts
                    self._add_value(group, facet, FacetValue(missing, missing, 0), True)
                group.setHidden(group.childCount() == 0)

    def _add_value(
        self, group: QTreeWidgetItem, facet: str, value: FacetValue, checked: bool
    ) -> None:
        label = facet_value_label(facet, value.value, value.label)
        child = QTreeWidgetItem(group, [f"{label}  ({format_count(value.count)})"])
        child.setData(0, ValueRole, value.value)
        child.setToolTip(0, label)
        child.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )
        child.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if item.parent() is not None:
            self.changed.emit()

    def values(self, facet: str) -> list[str]:
        """The values listed for ``facet`` (for example the merchants of the catalog)."""
        return [str(child.data(0, ValueRole)) for child in _children(self._groups[facet])]

    def value_item(self, facet: str, value: str) -> QTreeWidgetItem | None:
        """The row of ``value`` in ``facet`` (tests and keyboard users look it up)."""
        for child in _children(self._groups[facet]):
            if child.data(0, ValueRole) == value:
                return child
        return None
