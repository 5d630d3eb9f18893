"""The studio signed in, driven as a user would, against a REAL platform server on loopback:
the status bar's account button opens Sign in, a wrong password and an unreachable server are
said in the dialog, a sign-in brings the platform's catalog into the browser in the
background, the account dialog lists this studio's device and revokes it, and the studio says
"sign in again" with nothing local lost."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from test_reviews_support import choose

from bench.catalog_gen import write_google_xml
from studio.core.catalog import SortKey
from studio.sync.tokens import TokenStore
from studio.system.paths import Paths
from studio.ui.account.account_dialog import AccountDialog
from studio.ui.account.sign_in import SignInDialog
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager
from tests.platform_server import PASSWORD, Server, start_server, stop_server
from tests.sync.test_keyrings import MemoryKeyring

pytestmark = pytest.mark.gui
PRODUCTS = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server with one merchant of PRODUCTS products at 8 %."""
    root = tmp_path_factory.mktemp("platform-ui")
    seed = Server("", root / "data", None, root / "none.log")  # type: ignore[arg-type]
    seed.admin("migrate")
    seed.admin("merchants", "add", "Lumen", "--rate", "8%")
    seed.ingest(write_google_xml(root / "lumen.xml", PRODUCTS, seed=21), "Lumen")
    running = start_server(root / "data")
    try:
        yield running
    finally:
        stop_server(running)


@pytest.fixture
def window(qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any) -> MainWindow:
    window = MainWindow(tasks, paths)
    # The tokens in memory, set explicitly: never the user's real keyring.
    window.account.controller._tokens = TokenStore(backend=MemoryKeyring())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(empty_store)
    qtbot.waitUntil(lambda: window.catalog.last_result is not None)
    return window


def _open_sign_in(qtbot: QtBot, window: MainWindow) -> SignInDialog:
    indicator = window.account.indicator
    assert indicator.text() == "Signed out"
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    dialog = window.account.sign_in_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _fill(qtbot: QtBot, dialog: SignInDialog, server: str, email: str, password: str) -> None:
    for box, text in ((dialog.server, server), (dialog.email, email), (dialog.password, password)):
        box.selectAll()
        qtbot.keyClicks(box, text)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_sign_in_gets_the_catalog_and_a_revoked_device_signs_in_again(
    qtbot: QtBot, window: MainWindow, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = server.sign_up()
    # No platform rate in the catalog yet: no commission facet.
    assert window.catalog.facets.value_item("commission", "1") is None
    dialog = _open_sign_in(qtbot, window)
    assert not dialog.sign_in_button.isEnabled()  # nothing typed yet
    _fill(qtbot, dialog, server.url, email, "not the password")
    qtbot.waitUntil(lambda: dialog.status.isVisible() and dialog.server.isEnabled(), timeout=20_000)
    assert dialog.status.text() == "The email or the password is wrong."
    assert dialog.password.text() == ""  # typed again, not kept
    assert window.account.controller.state == "signed_out"

    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.account.sign_in_dialog is None, timeout=20_000)
    assert window.account.controller.state == "signed_in"
    assert window.account.indicator.toolTip().startswith(f"Signed in: {email}")
    # The platform's catalog arrives in the background and reaches the browser.
    catalog = window.catalog
    qtbot.waitUntil(lambda: catalog.count_label.text() == f"{PRODUCTS} products", timeout=30_000)
    report = window.account.controller.last_report
    assert report is not None and report.upserts == PRODUCTS and not report.cancelled
    qtbot.waitUntil(lambda: not window.account.progress.isVisible())
    assert "Catalog updated from the platform: 30 new or changed" in (
        window.statusBar().currentMessage()
    )

    # The commission facet appears with the rates: ticking a band filters by it.
    qtbot.waitUntil(lambda: catalog.facets.value_item("commission", "1") is not None)
    band = catalog.facets.value_item("commission", "1")
    assert band is not None and band.text(0) == f"5–10 %  ({PRODUCTS})"
    band.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: catalog.query().commission_bands == frozenset({1}))
    qtbot.waitUntil(lambda: catalog.count_label.text() == f"{PRODUCTS} products")
    band.setCheckState(0, Qt.CheckState.Unchecked)
    # Sorted by commission, the platform's rate shows on the card and in the detail pane.
    choose(qtbot, catalog.facets.sort_combo, SortKey.COMMISSION.value)
    qtbot.waitUntil(lambda: catalog.query().sort is SortKey.COMMISSION)
    qtbot.waitUntil(lambda: catalog.model.card(0) is not None, timeout=10_000)
    first = catalog.model.card(0)
    assert first is not None and first.commission_rate == Decimal("0.08")
    qtbot.mouseClick(
        catalog.grid.viewport(),
        Qt.MouseButton.LeftButton,
        pos=catalog.grid.visualRect(catalog.model.index(0, 0)).center(),
    )
    qtbot.waitUntil(lambda: catalog.detail.commission.text() == "8 % commission")

    # The account dialog lists this studio; revoking it signs the studio out, asked first.
    window.account.account_action.trigger()
    account = window.account.account_dialog
    assert isinstance(account, AccountDialog)
    qtbot.waitUntil(lambda: account.devices.topLevelItemCount() == 1, timeout=20_000)
    item = account.devices.topLevelItem(0)
    assert item is not None and item.text(0).endswith("(this studio)")
    assert email in account.who.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    account.devices.setCurrentItem(item)
    qtbot.mouseClick(account.revoke_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.account.account_dialog is None, timeout=20_000)
    qtbot.waitUntil(lambda: window.account.indicator.text() == "Signed out")
    assert not window.account.update_action.isEnabled()
    # Nothing local was lost: the catalog stays.
    assert catalog.count_label.text() == f"{PRODUCTS} products"


def test_an_unreachable_server_and_an_unsafe_address_are_said(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from tests.platform_server import free_port

    dialog = _open_sign_in(qtbot, window)
    _fill(qtbot, dialog, f"http://127.0.0.1:{free_port()}", "a@example.com", PASSWORD)
    qtbot.waitUntil(lambda: dialog.status.isVisible() and dialog.server.isEnabled(), timeout=20_000)
    assert dialog.status.text().startswith("The server cannot be reached")
    assert dialog.password.text() == PASSWORD  # not a wrong password: kept
    _fill(qtbot, dialog, "http://platform.example.com", "a@example.com", PASSWORD)
    qtbot.waitUntil(lambda: "not safe for a password" in dialog.status.text(), timeout=20_000)
    assert window.account.controller.state == "signed_out"
    dialog.reject()
    QApplication.processEvents()


def _sign_in(qtbot: QtBot, window: MainWindow, server: Server, email: str) -> None:
    dialog = _open_sign_in(qtbot, window)
    _fill(qtbot, dialog, server.url, email, PASSWORD)
    qtbot.waitUntil(lambda: window.account.sign_in_dialog is None, timeout=20_000)


def test_a_cancelled_update_keeps_its_pages_and_the_next_one_resumes(
    qtbot: QtBot, window: MainWindow, server: Server, paths: Paths
) -> None:
    from studio.services.platform import PlatformService

    controller = window.account.controller
    # Pages of 4 products: the update after the sign-in takes several.
    controller.service = PlatformService(paths, tokens=controller._tokens, page_limit=4)
    _sign_in(qtbot, window, server, server.sign_up())
    qtbot.waitUntil(lambda: window.account.cancel_button.isVisible(), timeout=20_000)
    qtbot.mouseClick(window.account.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.updating, timeout=30_000)
    first = controller.last_report
    assert first is not None and first.cancelled and first.upserts < PRODUCTS
    assert "Catalog update stopped" in window.statusBar().currentMessage()
    # Catalog > Update from platform (Ctrl+Shift+U) goes on from the page it stopped at.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.catalog.grid.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.catalog.grid, Qt.Key.Key_U, ctrl_shift)
    qtbot.waitUntil(
        lambda: controller.last_report is not first and not controller.updating, timeout=30_000
    )
    second = controller.last_report
    assert second is not None and not second.cancelled
    assert first.upserts + second.upserts == PRODUCTS
    qtbot.waitUntil(lambda: window.catalog.count_label.text() == f"{PRODUCTS} products")


def test_a_device_revoked_elsewhere_is_asked_to_sign_in_again(
    qtbot: QtBot, window: MainWindow, server: Server
) -> None:
    import requests

    email = server.sign_up()
    _sign_in(qtbot, window, server, email)
    controller = window.account.controller
    qtbot.waitUntil(lambda: controller.last_report is not None, timeout=30_000)
    # The curator signs in on the web from another device and revokes this studio there.
    other = requests.post(
        f"{server.url}/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_name": "phone"},
        timeout=30,
    ).json()
    auth = {"Authorization": f"Bearer {other['access_token']}"}
    devices = requests.get(f"{server.url}/v1/me/devices", headers=auth, timeout=30).json()
    (studio,) = [d for d in devices["devices"] if d["name"] != "phone"]
    gone = requests.delete(f"{server.url}/v1/me/devices/{studio['id']}", headers=auth, timeout=30)
    assert gone.status_code == 204
    window.account.update_action.trigger()
    qtbot.waitUntil(lambda: window.account.indicator.text() == "Sign in again", timeout=30_000)
    assert "sign in again" in window.statusBar().currentMessage()
    assert window.account.sign_in_action.isEnabled()
    assert window.catalog.count_label.text() == f"{PRODUCTS} products"  # nothing local lost


def test_the_empty_catalog_offers_to_sign_in(qtbot: QtBot, window: MainWindow) -> None:
    empty = window.catalog.empty
    qtbot.waitUntil(empty.sign_in_button.isVisible)
    qtbot.mouseClick(empty.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = window.account.sign_in_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.server.text() == "http://127.0.0.1:8750"  # where `make server` listens
    dialog.reject()
    qtbot.waitUntil(lambda: window.account.sign_in_dialog is None)


def test_without_a_keyring_the_studio_says_it_signs_in_for_this_session_only(
    qtbot: QtBot, window: MainWindow, server: Server
) -> None:
    from keyring.backends import fail

    window.account.controller._tokens = TokenStore(backend=fail.Keyring())
    messages: list[str] = []
    window.account.controller.message.connect(messages.append)
    dialog = _open_sign_in(qtbot, window)
    _fill(qtbot, dialog, server.url, server.sign_up(), PASSWORD)
    qtbot.waitUntil(lambda: window.account.sign_in_dialog is None, timeout=20_000)
    assert window.account.controller.state == "signed_in"  # in memory, for this session
    assert sum(m.startswith("No system keyring") for m in messages) == 1
