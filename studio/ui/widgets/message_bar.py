"""One inline message bar for every page: why an edit was refused, or what just happened.

A refusal (the tier limit, a competitor's product, a taken handle) is not a dialog to dismiss
before working on: the reason shows in a bar above the content, in the store's own words.
An error stays until it is closed or replaced; a warning goes away on its own once it has had
time to be read twice; a result ("3 added to the shelf") fades sooner. A message may offer one
action ("Save page…"): a button beside it, and the message then stays until it is used or
closed, as a message with something to do must not vanish while the user reaches for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

# kind -> (background, text, border, shown for ms; 0 = until closed)
_KINDS = {
    "error": ("#fdecea", "#8a1c1c", "#f3b8b3", 0),
    "warning": ("#fff4e5", "#5c3b00", "#f0b46c", 15_000),
    "info": ("#eaf2fd", "#1c3f8a", "#b3cbf3", 5_000),
}


class MessageBar(QFrame):
    """A dismissable one-message bar; hidden until ``show_message``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.kind = ""
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message"))
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        name = self.tr("Close the message")
        self.close_button.setToolTip(name)
        self.close_button.setAccessibleName(name)
        self.close_button.clicked.connect(self.clear)
        self.action_button = QPushButton(self)
        self.action_button.hide()
        self.action_button.clicked.connect(self._act)
        self._action: Callable[[], object] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "error",
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        """Show ``text`` as an "error", a "warning" or an "info" (see the module docstring),
        with ``action`` (its button's text, what it does) when given."""
        background, colour, border, shown_ms = _KINDS[kind]
        self._action = action[1] if action is not None else None
        self.action_button.setText(action[0] if action is not None else "")
        self.action_button.setVisible(action is not None)
        if action is not None:
            shown_ms = 0  # stays until used or closed
        self.kind = kind
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid "
            f"{border}; border-radius: 4px; }} QLabel, QToolButton {{ color: {colour}; }}"
        )
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        if shown_ms:
            self._timer.start(shown_ms)
        else:
            self._timer.stop()

    @property
    def is_error(self) -> bool:
        return self.kind == "error"

    @property
    def text(self) -> str:
        """The message shown now ("" when the bar is closed)."""
        return "" if self.isHidden() else self.label.text()

    def _act(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()

    def clear(self) -> None:
        self._timer.stop()
        self.kind = ""
        self._action = None
        self.action_button.hide()
        self.label.clear()
        self.hide()
