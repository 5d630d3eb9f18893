"""A full disk in the desktop: the import dialog and the archive export say which folder and
which disk, as ``studio`` does, and nothing was written (an injected ENOSPC / SQLITE_FULL:
the test process cannot be given a file size limit of its own)."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_studio
from uihelp import CATALOG_SIZE

from bench.catalog_gen import write_google_xml
from studio.store import archive_zip, importer
from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def test_the_import_dialog_names_the_full_disk_and_nothing_is_imported(
    qtbot: QtBot, window: MainWindow, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = write_google_xml(tmp_path / "feed.xml", 3000, seed=4)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(feed), ""))
    )

    def disk_full(job: Any) -> None:  # what SQLite raises when the disk fills mid-import
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(importer, "_writer_hook", disk_full)
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    assert dialog is not None
    dialog.merchant.setText("Full Disk Shop")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.imports.error_box is not None, timeout=20_000)
    box = window.imports.error_box
    assert "no room left" in box.text() and "nothing was changed" in box.text()
    assert f"Where: {paths.data}" in box.informativeText()
    assert "Why: the disk is full (no space left on the file system mounted at" in (
        box.informativeText()
    )
    box.close()
    assert window.catalog.store.product_count() == CATALOG_SIZE
    assert "Full Disk Shop" not in window.catalog.store.merchants()


def test_the_archive_export_names_the_full_disk_and_leaves_no_file(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    studio.looks.create_look("Kept at home")

    def enospc(fd: int) -> None:  # the disk fills while the archive is flushed
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(archive_zip.os, "fsync", enospc)
    out = tmp_path / "exports" / "mine.zip"
    with qtbot.waitSignal(window.archive.failed, timeout=20_000):
        window.archive.export(out)
    box = window.archive.report_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert f"Cannot write to {out.parent}: the disk is full (no space left on" in box.text()
    assert "Nothing was changed" in box.text()
    assert list(out.parent.iterdir()) == []
    box.close()
