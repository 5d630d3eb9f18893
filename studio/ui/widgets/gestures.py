"""Garbage collection held off during a gesture: no collector pause in the middle of a drag.

CPython's cyclic collector runs whenever enough objects have been allocated, and a full pass
walks every tracked object of the process. With a large workspace in memory (a 10,000-product
shop, a catalog page, their Qt wrappers) one pass took 140-180 ms on the 2-core machine: one
frozen frame in the middle of a drag (seen in ``bench_shops``, 2026-12-07). While a drag or a
mouse gesture is under way over a view, automatic collection waits; when it ends (Qt pairs
every drag enter with a leave or a drop, and every press with a release to the same widget)
the collector is switched back on and catches up at its next threshold.

Holds nest (two views may hold at once) and only a collector that was on is switched back on:
code that turned it off itself keeps it off. A hold whose end never comes (a press whose
release went to a popup menu, a view closed mid-drag) is given back after ``MAX_HOLD_MS`` or
when its view is deleted, whichever is first.

The same holds tell background refreshes that can wait (a list's counts, a health check) to
wait: ``when_still`` runs them once no gesture is under way, since a worker's Python code
takes the interpreter lock from the UI thread for milliseconds at a time (a shop list's
summary read mid-drag made frames of 23-27 ms).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

MAX_HOLD_MS = 20_000  # no drag lasts this long; a hold still on then was never ended
STILL_RETRY_MS = 250  # how soon work put off by a gesture looks again

_lock = threading.Lock()
_holds = 0
_switched_off = False  # by the first hold (so the last release switches it back on)


def _hold() -> None:
    global _holds, _switched_off
    with _lock:
        if _holds == 0 and gc.isenabled():
            gc.disable()
            _switched_off = True
        _holds += 1


def _release() -> None:
    global _holds, _switched_off
    with _lock:
        _holds -= 1
        if _holds == 0 and _switched_off:
            gc.enable()
            _switched_off = False


def under_way() -> bool:
    """Whether any view holds a gesture now."""
    return _holds > 0


def when_still(timer: QTimer, fn: Callable[[], object]) -> None:
    """Run ``fn`` on the single-shot ``timer``'s timeout, or, while a gesture is under way,
    start the timer again (``STILL_RETRY_MS``) and look once more then."""

    def fire() -> None:
        if under_way():
            timer.start(STILL_RETRY_MS)
        else:
            fn()

    timer.timeout.connect(fire)


class GestureGc:
    """One view's hold on the collector: ``begin`` when a gesture starts over it, ``end`` when
    it ends; both may be called again (a drop after the leave of the same drag) safely."""

    def __init__(self, owner: QObject) -> None:
        self._held = False
        self._timer = QTimer(owner)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MAX_HOLD_MS)
        self._timer.timeout.connect(self.end)
        owner.destroyed.connect(lambda *_: self.end())

    def begin(self) -> None:
        if not self._held:
            self._held = True
            _hold()
        self._timer.start()

    def end(self) -> None:
        if self._held:
            self._held = False
            _release()
