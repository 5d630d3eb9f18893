"""services.platform: what changes on the server (products no longer listed, new rates) reaches
a studio that already has the catalog. A server of its own: these tests change its catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.catalog_gen import write_google_xml
from studio.core.product import Availability
from studio.services.platform import PlatformService
from studio.services.workspace import Stores, open_workspace
from studio.store.codes import availability_code
from studio.system.paths import resolve_paths
from tests.platform_server import PASSWORD, Server, lumen_records


@pytest.fixture()
def ws(studio_home: Path) -> Iterator[Stores]:
    with open_workspace(resolve_paths(studio_home).ensure()) as stores:
        yield stores


def lumen(ws: Stores) -> dict[str, tuple[int, int]]:
    """Lumen's products: offer id -> (availability code, commission ppm)."""
    with ws.db.catalog_db.connect() as conn:
        return {
            offer: (code, ppm)
            for offer, code, ppm in conn.execute(
                "SELECT p.offer_id, p.availability, p.commission_ppm FROM products AS p "
                "JOIN merchants AS m ON m.id = p.merchant_id WHERE m.name = 'Lumen'"
            )
        }


def test_unlisted_products_and_new_rates_arrive(
    ws: Stores, platform: Server, tmp_path: Path
) -> None:
    service = PlatformService(ws.paths)
    service.sign_in(platform.url, platform.sign_up(), PASSWORD, "studio")
    first = service.update_catalog(ws)
    assert first.upserts == 65
    records = lumen_records()
    apparel = {r.offer_id for r in records if (r.product_type or "").startswith("Apparel")}

    # The merchant's full feed now lists 30 of its 40 products.
    platform.ingest(write_google_xml(tmp_path / "lumen-30.xml", 30, seed=11), "Lumen")
    report = service.update_catalog(ws)
    assert (report.unavailable, report.upserts) == (10, 0)
    gone = {r.offer_id for r in records[30:]}
    unavailable = availability_code(Availability.UNAVAILABLE)
    assert {o for o, (code, _) in lumen(ws).items() if code == unavailable} == gone

    # The merchant's rate changes: every product without a category rate is sent again.
    platform.admin("merchants", "rate", "Lumen", "--rate", "10%")
    report = service.update_catalog(ws)
    listed_plain = {r.offer_id for r in records[:30]} - apparel
    assert report.upserts + report.unchanged >= len(listed_plain)
    rates = {o: ppm for o, (_, ppm) in lumen(ws).items()}
    assert {rates[o] for o in listed_plain} == {100000}
    assert {rates[o] for o in apparel} == {120000}
