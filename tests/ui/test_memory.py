"""The desktop's process-wide memory settings (studio.ui.memory)."""

from __future__ import annotations

import importlib
import linecache
import sys

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
