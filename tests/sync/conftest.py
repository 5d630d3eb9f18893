"""The studio's platform tests run against a REAL server: ``studio-server run`` on a free
loopback port with a temporary ``--data`` folder, seeded with its own admin commands.

One server per test module (starting one costs a second or two); each test makes its own
account through the public sign-up, so tests never share a session. Tokens go to an
in-memory keyring set explicitly for every test: never the user's real keyring.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from bench.catalog_gen import write_google_xml
from tests.platform_server import Server, start_server, stop_server
from tests.sync.test_keyrings import MemoryKeyring


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server with two merchants: Lumen (8 %, its "Apparel" category 12 %) with the 40
    products of ``lumen_records()`` and Kettle Co (5 %) with 25."""
    root = tmp_path_factory.mktemp("platform")
    data = root / "data"
    seed = Server("", data, None, root / "none.log")  # type: ignore[arg-type]
    seed.admin("migrate")
    seed.admin("merchants", "add", "Lumen", "--rate", "8%", "--category", "Apparel", "12%")
    seed.admin("merchants", "add", "Kettle Co", "--rate", "5%")
    seed.ingest(write_google_xml(root / "lumen.xml", 40, seed=11), "Lumen")
    seed.ingest(write_google_xml(root / "kettle.xml", 25, seed=12), "Kettle Co")
    server = start_server(data)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test's tokens in a fresh in-memory keyring, set explicitly."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)
