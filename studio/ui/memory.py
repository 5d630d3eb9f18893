"""Keeping the desktop's resident memory to what it uses: two process-wide settings.

Both are about memory the app no longer needs but the process would keep:

- glibc serves a large allocation from the heap once an equally large block has been freed
  (its mmap threshold rises to that size), and memory freed on a worker thread's heap then
  stays resident. The catalog's numpy arrays (0.5-8 MB each, made and dropped on every
  search) are exactly that pattern: with the threshold fixed at its default, 128 KiB, they
  are mapped and unmapped, and the desktop on a 1M catalog peaked 28 MiB lower (bench_ui).
- PySide6 reads the source of every module imported after it (to see whether the module
  uses PySide), and ``linecache`` keeps those texts for the life of the process: ~25 MiB
  once every workspace is imported, needed only to print a traceback, which reads them
  again.
"""

from __future__ import annotations

import linecache
import logging

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD = 128 * 1024


def fix_mmap_threshold() -> bool:
    """Pin glibc's mmap threshold (call once, before large arrays are made); False where there
    is no glibc. The desktop calls it after its first paint: importing ctypes takes ~7 ms."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
    except OSError:
        mallopt = None
    if mallopt is None:
        return False
    ok = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    return ok


def drop_source_cache() -> None:
    """Forget the module sources PySide6's import check left in ``linecache``."""
    linecache.clearcache()
