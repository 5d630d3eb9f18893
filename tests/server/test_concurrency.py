"""Writers at once: commit order is sequence order (a reader following the cursor while two
merchants' feeds and rate changes are written ends with exactly the catalog as stored), and
one refresh token raced by two clients is rotated once, the loser revoking the device."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import sqlalchemy
from fastapi.testclient import TestClient
from serverhelp import Api, ingest, merchant, product

from studio.server import catalog
from studio.server.app import create_app
from studio.server.db import Database
from studio.server.models import Merchant, Product
from studio.server.settings import Settings

ROUNDS = 12
PRODUCTS = 40


def _writer(db: Database, name: str) -> None:
    for r in range(ROUNDS):
        ingest(
            db, name, [product(name, f"{name}-{i}", title=f"round {r}") for i in range(PRODUCTS)]
        )


def _rates(db: Database) -> None:
    for r in range(ROUNDS):
        with db.write() as s:
            catalog.set_rate(s, "A", Decimal(f"0.{10 + r}"))


def test_a_reader_following_the_cursor_misses_no_commit(
    settings: Settings, db: Database, api: Api
) -> None:
    merchant(db, "A")
    merchant(db, "B")
    me = api.account()
    done = threading.Event()
    state: dict[tuple[str, str], tuple[str, str]] = {}
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with TestClient(create_app(settings, db=db, migrate=False)) as client:
                cursor, last = 0, False
                while True:
                    finished = done.is_set()  # read once more after the writers ended
                    r = client.get(
                        f"/v1/catalog/changes?after={cursor}&limit=50", headers=me.headers
                    )
                    page: dict[str, Any] = r.json()
                    for c in page["changes"]:
                        assert c["seq"] > cursor
                        state[(c["merchant"], c["offer_id"])] = (
                            c["product"]["title"],
                            c["commission_rate"],
                        )
                    cursor = page["cursor"]
                    if last and not page["more"]:
                        return
                    last = finished
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(3) as pool:
        for f in [
            pool.submit(_writer, db, "A"),
            pool.submit(_writer, db, "B"),
            pool.submit(_rates, db),
        ]:
            f.result()
    done.set()
    reader.join(timeout=300)
    assert not errors, errors
    with db.read() as s:
        stored = {
            (name, offer): (json_title, rate)
            for name, offer, json_title, rate in s.execute(
                sqlalchemy.select(
                    Merchant.name,
                    Product.offer_id,
                    sqlalchemy.literal_column("payload"),
                    Product.effective_rate,
                ).join(Merchant)
            ).all()
        }
    expected = {k: (_title(v[0]), v[1]) for k, v in stored.items()}
    assert len(expected) == 2 * PRODUCTS
    assert state == expected
    assert {v[0] for v in state.values()} == {f"round {ROUNDS - 1}"}
    assert {v[1] for k, v in state.items() if k[0] == "A"} == {f"0.{10 + ROUNDS - 1}"}


def _title(payload: str) -> str:
    import json

    return str(json.loads(payload)["title"])


def test_a_refresh_token_raced_by_two_clients_is_rotated_once(api: Api) -> None:
    ann = api.account()
    token = ann.session["refresh_token"]
    barrier = threading.Barrier(2)

    def refresh(_: int) -> int:
        barrier.wait()
        r = api.client.post("/v1/sessions/refresh", json={"refresh_token": token})
        return int(r.status_code)

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(refresh, range(2)))
    assert codes == [200, 401]
    # The loser proved the token was used twice: the device is revoked for both.
    assert api.get("/v1/me", ann).json()["type"].endswith("/revoked")
