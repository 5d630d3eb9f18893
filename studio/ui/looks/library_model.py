"""The look library's list model and the delegate that paints a look as a card.

Rows are ``LookSummary`` values (the store's query runs in a worker; the model only holds the
result). Covers are the first photo's thumbnail from a ``CoverLoader``; until one arrives the
card paints a neutral placeholder.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from studio.core.looks import LookStatus, LookSummary
from studio.ui.looks.images import CoverLoader
from studio.ui.widgets.colours import IN_STOCK, badge_colours, row_colours

SummaryRole = Qt.ItemDataRole.UserRole + 1
LookIdRole = Qt.ItemDataRole.UserRole + 2
CARD = QSize(216, 268)
_Index = QModelIndex | QPersistentModelIndex


DRAFT = "#9a6700"  # the Draft chip's amber, as tuned on white


class LookListModel(QAbstractListModel):
    def __init__(self, covers: CoverLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.covers = covers
        self._rows: list[LookSummary] = []
        covers.loaded.connect(self._cover_loaded)

    def set_summaries(self, rows: list[LookSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def remove_ids(self, ids: set[str]) -> None:
        """Take these looks' rows out (moved to the trash, or out of it), the others kept."""
        for row in reversed(range(len(self._rows))):
            if self._rows[row].id in ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def summary(self, row: int) -> LookSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, look_id: str) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.id == look_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        summary = self.summary(index.row()) if index.isValid() else None
        if summary is None:
            return None
        if role == SummaryRole:
            return summary
        if role == LookIdRole:
            return summary.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return summary.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(summary.tags) or summary.title
        return None

    def _cover_loaded(self, media_hash: str) -> None:
        for row, summary in enumerate(self._rows):
            if summary.cover_hash == media_hash:
                self.dataChanged.emit(self.index(row), self.index(row))


class LookCardDelegate(QStyledItemDelegate):
    """Cover, title, status chip and counts."""

    def __init__(self, covers: CoverLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.covers = covers

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return CARD

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        summary: LookSummary | None = index.data(SummaryRole)
        if summary is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 6, -6, -6)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette  # type: ignore[attr-defined]
        tones = row_colours(pal)  # the card's ground and texts, readable in either scheme
        edge = pal.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid)
        painter.setPen(QPen(edge, 2 if selected else 1))
        painter.setBrush(tones.background)
        painter.drawRoundedRect(rect, 8, 8)
        cover = QRect(rect.left() + 1, rect.top() + 1, rect.width() - 2, rect.height() - 78)
        image = self.covers.image(summary.cover_hash)
        if image is not None and not image.isNull():
            scaled = image.scaled(
                cover.size(),
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            sx = (scaled.width() - cover.width()) // 2
            sy = (scaled.height() - cover.height()) // 2
            painter.drawImage(cover, scaled, QRect(sx, sy, cover.width(), cover.height()))
        else:
            painter.fillRect(cover, pal.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(tones.secondary)
            painter.drawText(
                cover,
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No photo") if summary.cover_hash is None else "…",
            )
        text = QRect(rect.left() + 10, cover.bottom() + 8, rect.width() - 20, 22)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(tones.text)
        title = painter.fontMetrics().elidedText(
            summary.title, Qt.TextElideMode.ElideRight, text.width()
        )
        painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        ready = summary.status == LookStatus.READY
        chip_text = self.tr("Ready") if ready else self.tr("Draft")
        chip_w = painter.fontMetrics().horizontalAdvance(chip_text) + 14
        chip = QRect(rect.left() + 10, text.bottom() + 6, chip_w, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        chip_fill, chip_ink = badge_colours(IN_STOCK if ready else DRAFT, tones.background)
        painter.setBrush(chip_fill)
        painter.drawRoundedRect(chip, 10, 10)
        painter.setPen(chip_ink)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
        photos = self.tr("%n photos", "", summary.photo_count)
        tags = self.tr("%n tags", "", summary.hotspot_count)
        counts = f"{photos} · {tags}"
        painter.setPen(tones.secondary)
        painter.drawText(
            QRect(chip.right() + 8, chip.top(), rect.right() - chip.right() - 14, chip.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            counts,
        )
        if summary.tags:
            line = QRect(
                rect.left() + 10,
                chip.bottom() + 6,
                rect.width() - 20,
                painter.fontMetrics().height(),
            )
            painter.setPen(tones.secondary)
            painter.drawText(
                line,
                Qt.AlignmentFlag.AlignLeft,
                painter.fontMetrics().elidedText(
                    " · ".join(summary.tags), Qt.TextElideMode.ElideRight, line.width()
                ),
            )
        painter.restore()
