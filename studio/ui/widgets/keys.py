"""Key bindings built once, the same way everywhere: a platform's standard keys plus our own.

A ``QAction`` given the same key sequence twice (``QKeySequence(StandardKey.Quit)`` is Ctrl+Q on
X11, and Ctrl+Q was added again "for desktops that map Quit to nothing") registers two entries
in Qt's shortcut map; the key then matches both, Qt calls it an "Ambiguous shortcut overload"
and runs neither. ``bindings`` expands every standard key to all of the platform's bindings,
adds the explicit ones and keeps each sequence once, with no empty ones (a standard key a
platform leaves unbound).

``UNDO``, ``REDO``, ``QUIT`` and ``NEW`` are the keys the window's Edit and File menus promise
on every platform: Ctrl+Shift+Z and Ctrl+Y both redo, Ctrl+Q always quits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QKeySequence

Key = QKeySequence.StandardKey | str

UNDO: tuple[Key, ...] = ("Ctrl+Z", QKeySequence.StandardKey.Undo)
REDO: tuple[Key, ...] = ("Ctrl+Shift+Z", "Ctrl+Y", QKeySequence.StandardKey.Redo)
QUIT: tuple[Key, ...] = ("Ctrl+Q", QKeySequence.StandardKey.Quit)
NEW: tuple[Key, ...] = ("Ctrl+N", QKeySequence.StandardKey.New)


def bindings(keys: Iterable[Key]) -> list[QKeySequence]:
    """Each key of ``keys`` (a standard key: all the platform's bindings), once, none empty."""
    out: list[QKeySequence] = []
    for key in keys:
        sequences: Sequence[QKeySequence] = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in out:
                out.append(sequence)
    return out


def duplicated(sequences: Iterable[QKeySequence]) -> list[str]:
    """The sequences listed more than once, or empty (what makes a shortcut ambiguous)."""
    seen: set[str] = set()
    bad: list[str] = []
    for sequence in sequences:
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        if not text or text in seen:
            bad.append(text or "(empty)")
        seen.add(text)
    return bad
