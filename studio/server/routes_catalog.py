"""Routes of the catalog: ``GET /v1/merchants`` and ``GET /v1/catalog/changes``.

A page of changes is written as JSON text straight from the rows: each product's payload was
encoded once, at ingest, by ``studio.protocol.catalog_wire``, and the rest of its Change with
every new seq (``products.change_head``), so a page of 10,000 products is one query of four
columns and string joins, not 10,000 pydantic models nor JSON encodings (the OpenAPI document
still describes it through ``schemas.ChangesPage``).

A page is compressed here, for a client that sends ``Accept-Encoding: gzip``, with ISA-L's
deflate (``isal``) rather than zlib: measured on a 10,000-product page (9.8 MB), its level 1
makes the same 1.7 MB as zlib's level 1 in 14 ms instead of 54 (docs/server.md); the app's
gzip middleware leaves a response that already has a Content-Encoding alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from isal import igzip
from sqlalchemy import bindparam, select

from studio.server import catalog, schemas
from studio.server.deps import CallerDep, PlatformDep
from studio.server.models import Product

router = APIRouter(prefix="/v1")
_AUTH = schemas.problem_responses(401, 403)
MAX_CURSOR = 2**63 - 1  # a BIGINT: anything larger is a 422, not an overflow
# ISA-L's levels run 0-3; 1 measured the same size as zlib's 1 at a quarter of its time.
GZIP_LEVEL = 1


@router.get("/merchants", response_model=schemas.Merchants, responses=_AUTH, tags=["catalog"])
def list_merchants(_who: CallerDep, p: PlatformDep) -> schemas.Merchants:
    with p.db.read() as s:
        rows = catalog.merchants(s)
    return schemas.Merchants(
        merchants=[schemas.Merchant(id=m.id, name=m.name, rate=m.rate) for m in rows]
    )


JSON = "application/json"

# Built once (SQLAlchemy caches its compiled form); exactly the columns a page is made of.
_PAGE = (
    select(Product.seq, Product.change_head, Product.available, Product.payload)
    .where(Product.seq > bindparam("after"))
    .order_by(Product.seq)
    .limit(bindparam("size"))
)


@router.get(
    "/catalog/changes",
    response_model=schemas.ChangesPage,
    responses=schemas.problem_responses(401, 403, 422),
    tags=["catalog"],
)
def changes(
    request: Request,
    _who: CallerDep,
    p: PlatformDep,
    after: Annotated[int, Query(ge=0, le=MAX_CURSOR, description="the last seq applied")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=10000, description="changes per page")] = None,
) -> Response:
    size = min(limit or p.settings.changes_default_limit, p.settings.changes_max_limit)
    with p.db.lookup() as conn:  # one statement: its own snapshot on both engines
        rows = conn.execute(_PAGE, {"after": after, "size": size + 1}).all()
    more = len(rows) > size
    rows = rows[:size]
    cursor = rows[-1][0] if rows else after
    # Each change is its stored head, its payload (or null) and a brace: string joins only.
    changes = ",".join([head + (payload if on else "null") + "}" for _, head, on, payload in rows])
    body = f'{{"changes":[{changes}],"cursor":{cursor},"more":{"true" if more else "false"}}}'
    data = body.encode("utf-8")
    # The same test as Starlette's gzip middleware makes, so every response agrees.
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(igzip.compress(data, GZIP_LEVEL), headers=headers, media_type=JSON)
    return Response(data, media_type=JSON)
