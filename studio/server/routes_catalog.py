"""Routes of the catalog: ``GET /v1/merchants`` and ``GET /v1/catalog/changes``.

A page of changes is written as JSON text straight from the rows: each product's payload was
encoded once, at ingest, by ``studio.protocol.catalog_wire``, so a page of 10,000 products is
string joins, not 10,000 pydantic models (the OpenAPI document still describes it through
``schemas.ChangesPage``). Compression is the app's gzip middleware, for clients that send
``Accept-Encoding: gzip`` (measured in docs/server.md: JSON + gzip is what is sent).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from studio.server import catalog, schemas
from studio.server.deps import CallerDep, PlatformDep
from studio.server.models import Merchant, Product

router = APIRouter(prefix="/v1")
_AUTH = schemas.problem_responses(401, 403)
MAX_CURSOR = 2**63 - 1  # a BIGINT: anything larger is a 422, not an overflow


@router.get("/merchants", response_model=schemas.Merchants, responses=_AUTH, tags=["catalog"])
def list_merchants(_who: CallerDep, p: PlatformDep) -> schemas.Merchants:
    with p.db.read() as s:
        rows = catalog.merchants(s)
    return schemas.Merchants(
        merchants=[schemas.Merchant(id=m.id, name=m.name, rate=m.rate) for m in rows]
    )


def _dumps(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@router.get(
    "/catalog/changes",
    response_model=schemas.ChangesPage,
    responses=schemas.problem_responses(401, 403, 422),
    tags=["catalog"],
)
def changes(
    _who: CallerDep,
    p: PlatformDep,
    after: Annotated[int, Query(ge=0, le=MAX_CURSOR, description="the last seq applied")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=10000, description="changes per page")] = None,
) -> Response:
    size = min(limit or p.settings.changes_default_limit, p.settings.changes_max_limit)
    with p.db.read() as s:
        rows = s.execute(
            select(
                Product.seq,
                Product.merchant_id,
                Product.offer_id,
                Product.available,
                Product.effective_rate,
                Product.payload,
            )
            .where(Product.seq > after)
            .order_by(Product.seq)
            .limit(size + 1)
        ).all()
        names = {m.id: _dumps(m.name) for m in s.scalars(select(Merchant))} if rows else {}
    more = len(rows) > size
    rows = rows[:size]
    parts = []
    for seq, merchant_id, offer_id, available, rate, payload in rows:
        parts.append(
            f'{{"seq":{seq},"merchant":{names[merchant_id]},"offer_id":{_dumps(offer_id)},'
            f'"available":{"true" if available else "false"},"commission_rate":"{rate}",'
            f'"product":{payload if available else "null"}}}'
        )
    cursor = rows[-1][0] if rows else after
    body = (
        f'{{"changes":[{",".join(parts)}],"cursor":{cursor},"more":{"true" if more else "false"}}}'
    )
    return Response(body.encode("utf-8"), media_type="application/json")
