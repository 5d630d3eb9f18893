"""services.platform: the catalog downloaded from a real server into a real workspace, page by
page, with progress, cancel, resume after a kill, and hand-imported merchants left alone.

This module's server is only read (its catalog never changes here); changes on the server
side are in test_catalog_changes.py, with a server of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from studio.core.catalog import SearchQuery, SortKey
from studio.protocol.catalog_wire import ChangesPage
from studio.services import lane
from studio.services.platform import ConnectionState, PlatformService, UpdateProgress
from studio.services.workspace import Stores, open_workspace
from studio.store.platform_apply import PageReport
from studio.sync.client import PlatformClient
from studio.sync.errors import SignInAgain
from studio.sync.tokens import TokenStore
from studio.system import settings
from studio.system.paths import resolve_paths
from tests.platform_server import PASSWORD, Server, lumen_records
from tests.sync.test_keyrings import MemoryKeyring

REPO = Path(__file__).resolve().parents[2]
TOTAL = 65  # Lumen's 40 and Kettle Co's 25


def open_ws(home: Path) -> Stores:
    return open_workspace(resolve_paths(home).ensure())


@pytest.fixture()
def ws(studio_home: Path) -> Iterator[Stores]:
    stores = open_ws(studio_home)
    try:
        yield stores
    finally:
        stores.close()


def signed_in_service(ws: Stores, platform: Server, page_limit: int | None = 10) -> PlatformService:
    service = PlatformService(ws.paths, page_limit=page_limit)
    service.sign_in(platform.url, platform.sign_up(), PASSWORD, "test studio")
    return service


def catalog_rows(ws: Stores) -> set[tuple[object, ...]]:
    with ws.db.catalog_db.connect() as conn:
        return set(
            conn.execute(
                "SELECT m.name, m.source, p.offer_id, p.title, p.price_minor, p.availability, "
                "p.commission_ppm FROM products AS p JOIN merchants AS m ON m.id = p.merchant_id"
            )
        )


class Recorded(UpdateProgress):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, int, bool]] = []

    def tick(self) -> None:
        self.seen.append((self.pages, self.cursor, self.more))


def test_a_fresh_studio_gets_the_whole_catalog_page_by_page(ws: Stores, platform: Server) -> None:
    service = signed_in_service(ws, platform)
    progress = Recorded()
    done = lane.WriteLane.run(lambda: service.update_catalog(ws, progress))
    report = done.value
    assert done.changes.catalog  # reported like a feed import: every catalog view refreshes
    assert (report.upserts, report.unavailable, report.unchanged) == (TOTAL, 0, 0)
    assert report.pages == 7 and not report.cancelled
    assert [pages for pages, _, _ in progress.seen] == list(range(1, 8))
    cursors = [cursor for _, cursor, _ in progress.seen]
    assert cursors == sorted(set(cursors)) and cursors[-1] == report.cursor
    assert [more for _, _, more in progress.seen] == [True] * 6 + [False]
    assert ws.catalog.platform_cursor(platform.url) == report.cursor
    # Rates: the merchant's, or its "Apparel" category's; exact, on cards too.
    expected = {
        ("Lumen", r.offer_id): 120000 if (r.product_type or "").startswith("Apparel") else 80000
        for r in lumen_records()
    }
    rows = catalog_rows(ws)
    assert len(rows) == TOTAL and {r[1] for r in rows} == {"platform"}
    assert {(r[0], r[2]): r[6] for r in rows if r[0] == "Lumen"} == expected
    assert {r[6] for r in rows if r[0] == "Kettle Co"} == {50000}
    top = ws.catalog.search(SearchQuery(sort=SortKey.COMMISSION, limit=1))
    [card] = ws.catalog.cards([int(i) for i in top.ids])  # type: ignore[union-attr]
    assert card.commission_rate == Decimal("0.12") and card.merchant == "Lumen"
    # Nothing new: one page, nothing written.
    again = service.update_catalog(ws)
    assert (again.upserts, again.pages, again.cursor) == (0, 1, report.cursor)
    assert catalog_rows(ws) == rows
    # Where the account is remembered (never the tokens).
    saved = settings.load(ws.paths.config)
    assert saved.server == platform.url and saved.email and saved.device_id
    assert "token" not in settings.settings_path(ws.paths.config).read_text()


def test_a_cancelled_update_keeps_its_pages_and_the_next_one_resumes(
    ws: Stores, platform: Server, tmp_path: Path
) -> None:
    service = signed_in_service(ws, platform)
    progress = Recorded()
    report = service.update_catalog(ws, progress, cancelled=lambda: progress.pages >= 2)
    assert report.cancelled and report.pages == 2 and report.upserts == 20
    assert ws.catalog.platform_cursor(platform.url) == progress.seen[-1][1] == report.cursor
    assert len(catalog_rows(ws)) == 20
    rest = service.update_catalog(ws)
    assert rest.upserts == TOTAL - 20 and not rest.cancelled
    # The same catalog as a studio that updated in one go.
    with open_ws(tmp_path / "other-home") as other:
        one_go = PlatformService(other.paths, tokens=TokenStore(backend=MemoryKeyring()))
        one_go.sign_in(platform.url, platform.sign_up(), PASSWORD, "other")
        one_go.update_catalog(other)
        assert catalog_rows(other) == catalog_rows(ws)


def test_a_killed_update_resumes_after_the_last_page_applied(
    platform: Server, studio_home: Path, tmp_path: Path
) -> None:
    """The update runs in a child process that dies (os._exit: no cleanup, no rollback) in
    the middle of its third page's fetch; the next update starts after page two."""
    script = textwrap.dedent(
        """
        import os, sys
        from studio.services.platform import PlatformService, UpdateProgress
        from studio.services.workspace import open_workspace
        from studio.system.paths import resolve_paths

        class Dies(UpdateProgress):
            def tick(self):
                print(self.cursor, flush=True)
                if self.pages == 2:
                    os._exit(9)

        ws = open_workspace(resolve_paths().ensure())
        service = PlatformService(ws.paths, page_limit=10)
        service.sign_in(sys.argv[1], sys.argv[2], sys.argv[3], "doomed")
        service.update_catalog(ws, Dies())
        """
    )
    env = {
        **os.environ,
        "STUDIO_HOME": str(studio_home),
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "tests.sync.test_keyrings.FileKeyring",
        "VITRINE_TEST_KEYRING": str(tmp_path / "ring.json"),
    }
    child = subprocess.run(
        [sys.executable, "-c", script, platform.url, platform.sign_up(), PASSWORD],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 9, child.stderr
    applied = int(child.stdout.split()[-1])
    with open_ws(studio_home) as ws:
        assert ws.catalog.platform_cursor(platform.url) == applied
        assert len(catalog_rows(ws)) == 20
        service = signed_in_service(ws, platform)
        report = service.update_catalog(ws)
        assert (report.upserts, report.pages) == (TOTAL - 20, 5)
        assert len(catalog_rows(ws)) == TOTAL


def test_a_hand_imported_merchant_of_the_same_name_keeps_its_products(
    ws: Stores, platform: Server
) -> None:
    ws.catalog.import_feed("Lumen", "google-xml", lumen_records(12))
    before = {r for r in catalog_rows(ws) if r[0] == "Lumen"}
    service = signed_in_service(ws, platform, page_limit=None)
    report = service.update_catalog(ws)
    assert report.held == {"Lumen": 40}
    assert report.upserts == 25  # Kettle Co's
    rows = catalog_rows(ws)
    assert {r for r in rows if r[0] == "Lumen"} == before
    assert {r[1] for r in rows if r[0] == "Lumen"} == {"feed"}
    assert {r[1] for r in rows if r[0] == "Kettle Co"} == {"platform"}


def test_a_device_revoked_elsewhere_stops_the_update_and_keeps_the_catalog(
    ws: Stores, platform: Server
) -> None:
    service = signed_in_service(ws, platform)
    progress = Recorded()
    service.update_catalog(ws, progress, cancelled=lambda: progress.pages >= 1)
    kept = catalog_rows(ws)
    email = settings.load(ws.paths.config).email
    assert email is not None and len(kept) == 10
    other = PlatformClient(platform.url, TokenStore(backend=MemoryKeyring()))
    other.sign_in(email, PASSWORD, "phone")
    device_id = settings.load(ws.paths.config).device_id
    assert device_id is not None
    other.revoke_device(device_id)
    with pytest.raises(SignInAgain):
        service.update_catalog(ws)
    assert service.state is ConnectionState.SIGN_IN_AGAIN
    assert catalog_rows(ws) == kept  # local data untouched
    assert settings.load(ws.paths.config).email == email  # to sign in again


def test_the_account_its_devices_and_revoking_this_device(ws: Stores, platform: Server) -> None:
    service = signed_in_service(ws, platform)
    account = service.account()
    assert [d.current for d in account.devices] == [True]
    assert account.user.tier == settings.load(ws.paths.config).tier == "starter"
    assert service.state is ConnectionState.SIGNED_IN
    service.revoke_device(account.devices[0].id)
    assert service.state is ConnectionState.SIGNED_OUT
    assert service.tokens.get(platform.url) is None


def test_pages_another_studio_applied_meanwhile_are_neither_fetched_nor_applied_twice(
    ws: Stores, platform: Server, studio_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next page is fetched while one is applied: when another process applied pages
    meanwhile, the page fetched ahead (for a cursor the store has left) is dropped and the
    update asks again from where the store stands."""
    service = signed_in_service(ws, platform)
    real = ws.catalog.apply_platform_page
    tried: list[int] = []

    def meanwhile(server: str, after: int, page: ChangesPage) -> PageReport:
        tried.append(after)
        if len(tried) == 2:  # before this studio's second page, another one applies two
            other_client = PlatformClient(platform.url, service.tokens)
            with open_ws(studio_home) as other:
                cursor = after
                for _ in range(2):
                    got = other_client.changes(cursor, 10)
                    other.catalog.apply_platform_page(server, cursor, got)
                    cursor = got.cursor
            other_client.close()
        return real(server, after, page)  # the second: StaleCursor, nothing written

    monkeypatch.setattr(ws.catalog, "apply_platform_page", meanwhile)
    report = service.update_catalog(ws)
    # Pages two and three were the other studio's; none arrived twice here (an unchanged
    # product would say so) and none was missed.
    assert (report.upserts, report.unchanged, report.pages) == (TOTAL - 20, 0, 5)
    assert len(tried) == 6 and len(set(tried)) == 6
    assert len(catalog_rows(ws)) == TOTAL


def test_a_cancelled_update_does_not_wait_for_the_page_fetched_ahead(
    ws: Stores, platform: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window closing stops the update after its page: a fetch in flight (a slow server)
    is left to end on its own, never waited for; what was applied stays."""
    service = signed_in_service(ws, platform)
    real = PlatformClient.changes
    release, finished = threading.Event(), threading.Event()

    def slow_after_the_first(self: PlatformClient, after: int, limit: int = 10) -> ChangesPage:
        if after != 0:
            release.wait(timeout=60)  # released by the test once the update returned
            finished.set()
        return real(self, after, limit)

    monkeypatch.setattr(PlatformClient, "changes", slow_after_the_first)
    progress = UpdateProgress()
    report = service.update_catalog(ws, progress, cancelled=lambda: progress.pages >= 1)
    waited_for_the_fetch = finished.is_set()
    release.set()
    assert report.cancelled and report.pages == 1 and report.upserts == 10
    assert not waited_for_the_fetch
    assert len(catalog_rows(ws)) == 10
