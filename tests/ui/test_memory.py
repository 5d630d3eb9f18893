"""The desktop's process-wide memory settings (studio.ui.memory)."""

from __future__ import annotations

import importlib
import linecache
import sys
from typing import Any

import pytest

from studio.ui import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_mmap_threshold_is_pinned() -> None:
    assert memory.fix_mmap_threshold()


def test_module_sources_read_at_import_are_dropped() -> None:
    """PySide6 reads the source of modules imported after it, and linecache keeps the text
    (25 MiB in the desktop once every workspace is imported) until it is dropped."""
    import PySide6.QtWidgets  # noqa: F401  (its import hook is what reads the sources)

    for name in [m for m in sys.modules if m == "xml.dom" or m.startswith("xml.dom.")]:
        del sys.modules[name]
    linecache.clearcache()
    importlib.import_module("xml.dom.minidom")
    read = [path for path in linecache.cache if "xml/dom" in path.replace("\\", "/")]
    assert read  # xml.dom's modules, read by PySide6's check as minidom imported them
    memory.drop_source_cache()
    assert not linecache.cache


@pytest.mark.gui
def test_a_workspace_built_later_leaves_no_source_behind(window: Any) -> None:
    """Workspaces are imported when first shown, after the start-up's drop: each build drops
    what PySide6's check read again (every workspace's sources: ~2 MB of text)."""
    assert window.workspaces.loaded_page("looks") is None
    linecache.getlines(__file__)  # as PySide6's check does for each module it imports
    assert linecache.cache
    window.workspaces.page("looks")
    assert not linecache.cache
