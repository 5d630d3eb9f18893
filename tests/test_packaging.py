"""The packaging metadata: one application id everywhere, and both freedesktop validators pass."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import studio

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
DESKTOP = PACKAGING / f"{studio.APP_ID}.desktop"
METAINFO = PACKAGING / f"{studio.APP_ID}.metainfo.xml"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_one_application_id_everywhere() -> None:
    assert studio.APP_ID == "io.vitrine.Studio"
    assert DESKTOP.is_file() and METAINFO.is_file()
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == studio.APP_ID
    assert root.find("launchable").text == f"{studio.APP_ID}.desktop"  # type: ignore[union-attr]
    entry = _desktop_entry()
    assert entry["Icon"] == studio.APP_ID
    assert (PACKAGING / f"{studio.APP_ID}.svg").is_file()
    assert (PACKAGING / f"{studio.APP_ID}.png").is_file()


def test_desktop_entry_launches_the_installed_program() -> None:
    entry = _desktop_entry()
    assert entry["Exec"].split()[0] == "vitrine-studio"
    assert entry["Name"] == studio.APP_NAME
    # Qt sets the X11 WM_CLASS class to the application name (studio.ui.app sets APP_NAME).
    assert entry["StartupWMClass"] == studio.APP_NAME
    assert set(entry["Categories"].rstrip(";").split(";")) == {"Office", "Viewer"}


def test_metainfo_release_matches_the_package_version() -> None:
    root = ET.parse(METAINFO).getroot()
    releases = root.findall("releases/release")
    assert [r.get("version") for r in releases] == [studio.__version__]
    assert releases[0].get("date") == "2026-11-29"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.find("developer").get("id")  # type: ignore[union-attr]


def _run_validator(command: list[str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (apt: desktop-file-utils / appstream)")
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_desktop_file_validates() -> None:
    result = _run_validator(["desktop-file-validate", str(DESKTOP)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stdout + result.stderr


def test_metainfo_validates() -> None:
    result = _run_validator(["appstreamcli", "validate", "--no-net", str(METAINFO)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_spec_bundles_what_the_frozen_app_looks_up() -> None:
    spec = (PACKAGING / "vitrine-studio.spec").read_text(encoding="utf-8")
    # studio.media.demo looks in sys._MEIPASS/resources; studio.store.db next to its module.
    assert 'tree("resources/demo", "resources/demo")' in spec
    assert 'tree("studio/store/migrations", "studio/store/migrations")' in spec
    launcher = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    assert "from studio.ui.app import main" in launcher
