"""Every error the platform answers, as RFC 9457 problem details with a stable ``type``.

Routes raise :class:`Problem` (``Problem.of("conflict", "...")``); FastAPI's and Starlette's
own errors (an unknown route, a body that is not JSON, a field of the wrong type) are turned
into problems by the handlers installed here, and anything else into a bare 500
``server-error`` whose detail is logged on the server and never sent. The client maps the
``type``'s slug to a typed error, never the text.

The body limit (1 MiB) is an ASGI middleware: a ``Content-Length`` over it is refused before
a byte is read, and a chunked body is cut off as soon as it passes the limit. (Recent FastAPI
has a ``max_body_size`` of its own, but it answers its own plain 413 body outside the app's
handlers, not a problem document, and it is missing from the FastAPI versions we accept.)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("studio.server")

PROBLEM_BASE = "https://vitrine.invalid/problems/"
MEDIA_TYPE = "application/problem+json"

# slug -> (status, title); the titles are stable too (a sign-in's 401 reads the same whether
# the email or the password was wrong).
SLUGS: Mapping[str, tuple[int, str]] = {
    "malformed": (400, "The request body is not valid JSON"),
    "unauthorized": (401, "Not signed in, or the email or password is wrong"),
    "token-reused": (401, "This sign-in was used twice; the device was signed out"),
    "revoked": (401, "This device was signed out"),
    "disabled": (403, "This account is disabled"),
    "forbidden": (403, "Not allowed"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "conflict": (409, "Already taken"),
    "too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "The request body must be JSON"),
    "validation": (422, "The request is not valid"),
    "rate-limited": (429, "Too many attempts; try again later"),
    "server-error": (500, "The server failed; the error was logged"),
}
_BY_STATUS = {status: slug for slug, (status, _title) in SLUGS.items()}


class Problem(Exception):
    """An error answered as problem details; ``headers`` go with it (``Retry-After``)."""

    def __init__(
        self,
        slug: str,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        status, title = SLUGS[slug]
        super().__init__(detail or title)
        self.slug, self.status, self.title = slug, status, title
        self.detail = detail or title
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(
            self.body(), status_code=self.status, headers=self.headers, media_type=MEDIA_TYPE
        )


class BodyTooLarge(HTTPException):
    """Raised while a body is read, past the limit; FastAPI passes HTTPExceptions through."""

    def __init__(self) -> None:
        super().__init__(413)


def _http_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    slug = _BY_STATUS.get(exc.status_code)
    if slug is None:
        slug = "server-error" if exc.status_code >= 500 else "validation"
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 413 else None
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
    problem = Problem(slug, detail if detail and detail != SLUGS[slug][1] else None)
    problem.headers.update(headers)
    return problem.response()


def _validation_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return Problem("malformed").response()
    # The field's place and pydantic's message, without the input it echoes (a password).
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "reason": e["msg"]}
        for e in errors
    ]
    first = fields[0] if fields else {"field": "", "reason": "invalid"}
    detail = f"{first['field'] or 'body'}: {first['reason']}"
    return Problem("validation", detail, extra={"errors": fields}).response()


def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return Problem("server-error").response()


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(HTTPException, _http_problem)
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(Exception, _unexpected)


class BodyLimit:
    """ASGI middleware: bodies over ``limit`` bytes get 413 ``too-large``, unread."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.limit:
            await Problem("too-large", f"at most {self.limit} bytes").response()(
                scope, receive, send
            )
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
