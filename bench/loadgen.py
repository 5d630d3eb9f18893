"""A closed-loop HTTP/1.1 load generator: N requests truly in flight against one server.

Each of the N slots owns one keep-alive connection (asyncio streams, requests framed and
responses parsed by h11, the HTTP/1.1 library under httpx) and sends its next request as soon
as its last answer is read, so exactly N requests are in flight until the total is reached.
Every connection first makes one warm-up request (connect, the server's first touch of each
pooled connection), excluded from the samples; the measured phase starts once all are warm.

Why not one ``httpx.AsyncClient(limits=200)``: measured on this project's machine, its pool
(httpcore scans every connection on each request's start and end, encode/httpx#3215) cost
the client a whole core at 112 requests/s with 200 in flight, and the figure measured the
client; one AsyncClient per slot still cost ~1 ms of client CPU per request, on the two cores
the server needs. This one costs ~0.1 ms, and reports its own CPU beside the figures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import h11


@dataclass(slots=True)
class LoadResult:
    """Latencies (ms) of the measured requests, their statuses, the phase's wall and CPU
    seconds (this process), and what failed (a refused or dropped connection)."""

    samples_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.samples_ms) / self.seconds if self.seconds else 0.0


class _Slot:
    """One keep-alive connection and its h11 state."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.conn = h11.Connection(h11.CLIENT)

    async def request(self, head: h11.Request) -> tuple[int, bytes]:
        self.writer.write(self.conn.send(head) + self.conn.send(h11.EndOfMessage()))
        status, body = 0, bytearray()
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                self.conn.receive_data(data)  # b"": the server closed; h11 raises below
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                self.conn.start_next_cycle()
                return status, bytes(body)
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("the server closed the connection")

    def close(self) -> None:
        self.writer.close()


async def closed_loop(
    host: str,
    port: int,
    path: str,
    headers: Sequence[tuple[str, str]],
    *,
    in_flight: int,
    total: int,
    keep_bodies: int = 0,
) -> LoadResult:
    """``total`` GETs of ``path`` with ``in_flight`` of them in flight at every moment
    (after one warm-up request per connection); the first ``keep_bodies`` bodies are kept."""
    head = h11.Request(method="GET", target=path, headers=[("Host", f"{host}:{port}"), *headers])
    result = LoadResult()
    slots = [_Slot(*await asyncio.open_connection(host, port)) for _ in range(in_flight)]
    await asyncio.gather(*(slot.request(head) for slot in slots))
    left = total

    async def run(slot: _Slot) -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started = time.perf_counter()
            try:
                status, body = await slot.request(head)
            except (OSError, h11.ProtocolError) as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}")
                return
            result.samples_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if len(result.bodies) < keep_bodies:
                result.bodies.append(body)

    cpu, wall = time.process_time(), time.perf_counter()
    try:
        await asyncio.gather(*(run(slot) for slot in slots))
    finally:
        result.seconds = time.perf_counter() - wall
        result.client_cpu_seconds = time.process_time() - cpu
        for slot in slots:
            slot.close()
    return result


def run_closed_loop(
    host: str,
    port: int,
    path: str,
    headers: Sequence[tuple[str, str]],
    *,
    in_flight: int,
    total: int,
    keep_bodies: int = 0,
) -> LoadResult:
    """:func:`closed_loop` on a new event loop (for synchronous callers)."""
    return asyncio.run(
        closed_loop(
            host, port, path, headers, in_flight=in_flight, total=total, keep_bodies=keep_bodies
        )
    )
