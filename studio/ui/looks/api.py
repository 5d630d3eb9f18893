"""The looks feature's public surface for the main window."""

from __future__ import annotations

from studio.ui.looks.editor import LookEditor
from studio.ui.looks.library import LookLibrary
from studio.ui.looks.page import LooksPage

__all__ = ["LookEditor", "LookLibrary", "LooksPage"]
