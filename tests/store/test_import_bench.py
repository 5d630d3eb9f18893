"""bench_import's generated catalog looks like 20 merchants' feeds where the store cares.

The bulk-store figure times the catalog's indexes, so what its keys look like matters: a
landing link belongs to one merchant's site (the links index, catalog revision c0002, is
cheap when each import's links form a range of their own, and costly when they land among
every other merchant's).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `bench` is a top-level folder, not an installed package
    sys.path.insert(0, str(REPO))

from bench import bench_import  # noqa: E402


def test_each_merchant_has_its_own_landing_links() -> None:
    catalog = bench_import._records(200)
    assert len(catalog) == bench_import.MERCHANTS
    sites: dict[str, str] = {}
    for merchant, records in catalog:
        links = [r.link for r in records]
        assert all(link is not None for link in links)
        hosts = {str(link).split("/")[2] for link in links}
        assert len(hosts) == 1, (merchant, hosts)  # one site per merchant
        (host,) = hosts
        assert host not in sites, f"{merchant} and {sites[host]} share the site {host}"
        sites[host] = merchant
    every = [r.link for _, records in catalog for r in records]
    assert len(set(every)) == len(every)  # no landing link is two merchants'


def test_links_keep_the_rest_of_the_record() -> None:
    (_, first), (_, second) = bench_import._records(40)[:2]
    assert first[0].link == "https://m00.shop.example/p/0"
    assert second[0].link == "https://m01.shop.example/p/0"
    assert second[0].title and second[0].offer_id == "m00-0"  # only the link moved
