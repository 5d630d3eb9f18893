"""Defences every feed parser reads through: bounded gunzip, size caps, strict decoding.

A merchant feed is untrusted input that may be huge, compressed, hostile or simply broken. All
parsers read bytes through :class:`FeedSource`, which

* counts the bytes taken from the file on disk (for the progress bar),
* transparently gunzips when the file starts with the gzip magic, refusing to inflate beyond
  :data:`MAX_DECOMPRESSED` bytes or beyond a :data:`MAX_RATIO` expansion (a gzip bomb), and
* turns truncated or corrupt compressed data into a :class:`FeedError`.

Text formats (CSV/TSV) read lines through :func:`text_lines`, which decodes UTF-8 (with or
without a BOM) strictly and names the byte offset of the first undecodable byte, and which caps
the length of one physical line so a 10 MB unbroken token is refused within a second.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from studio.core.errors import FeedError

GZIP_MAGIC = b"\x1f\x8b"
# Absolute cap on inflated bytes: real catalog feeds stay far below this.
MAX_DECOMPRESSED = 2 * 1024**3
# Ratio cap, applied once the output is past RATIO_GRACE: text feeds inflate about 5-30x;
# a run of zeros about 1000x. Tiny outputs are exempt (their ratios are noisy); the grace is
# small so a bomb of blank lines is stopped before the CSV reader has to walk through it.
MAX_RATIO = 200
RATIO_GRACE = 1024**2
# One text value (a title, a description, one CSV field) may not exceed this.
MAX_FIELD = 1024**2
# One physical line of a CSV/TSV file (a row holds many fields, each capped separately).
MAX_LINE = 4 * 1024**2
# How much of the start of a file is inspected by detection and the XML prolog check.
SNIFF_BYTES = 64 * 1024
_CHUNK = 64 * 1024


class _CountingFile(io.RawIOBase):
    """The file on disk, counting the bytes read so far (compressed bytes for a .gz)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = path.open("rb")
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        n = self._file.readinto(buffer)
        self.consumed += n or 0
        return n or 0

    def close(self) -> None:
        self._file.close()
        super().close()


class FeedSource:
    """Bytes of a feed file, gunzipped if needed, with bombs and truncation refused.

    Use as a context manager; ``read(n)`` is what lxml and the line splitter call.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.size = path.stat().st_size
            self._raw = _CountingFile(path)
        except OSError as exc:
            reason = f"cannot open the file: {exc.strerror or exc}"
            raise FeedError(reason, where=str(path)) from exc
        # Sniff the gzip magic, then start over so the byte count covers the whole file.
        self.compressed = (self._raw.read(2) or b"") == GZIP_MAGIC
        self._raw.close()
        self._raw = _CountingFile(path)
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb") if self.compressed else None
        self._inflated = 0
        self._pending = b""  # peeked bytes to hand out again before the stream resumes

    # -- reading --------------------------------------------------------------------------

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all remaining bytes for n < 0, bounded by the caps)."""
        if n is None or n < 0:
            parts = []
            while chunk := self.read(_CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        if self._pending:
            out, self._pending = self._pending[:n], self._pending[n:]
            return out
        if self._gzip is None:
            return self._raw.read(n) or b""
        try:
            # Inflate at most 1 MB per call so the caps are checked long before a bomb
            # has filled memory.
            data = self._gzip.read(min(n, 1024**2))
        except EOFError as exc:
            raise FeedError("the compressed file is truncated", where=self._where()) from exc
        except (OSError, zlib.error) as exc:
            raise FeedError(f"the compressed file is corrupt ({exc})", where=self._where()) from exc
        self._inflated += len(data)
        if self._inflated > MAX_DECOMPRESSED:
            raise FeedError(
                f"refusing to decompress more than {MAX_DECOMPRESSED // 1024**3} GiB "
                "(a gzip bomb?)",
                where=self._where(),
            )
        if self._inflated > RATIO_GRACE and self._inflated > MAX_RATIO * max(self._raw.consumed, 1):
            raise FeedError(
                f"the compressed file expands more than {MAX_RATIO}x (a gzip bomb?)",
                where=self._where(),
            )
        return data

    def peek_head(self, n: int = SNIFF_BYTES) -> bytes:
        """The first ``n`` (decompressed) bytes, without consuming them."""
        parts: list[bytes] = []
        got = 0
        while got < n and (chunk := self.read(n - got)):
            parts.append(chunk)
            got += len(chunk)
        head = b"".join(parts)
        self._unread(head)
        return head

    def _unread(self, data: bytes) -> None:
        self._pending = data + self._pending

    def fraction_read(self) -> float:
        """Approximate progress: bytes consumed from the file on disk / its size."""
        if self.size <= 0:
            return 1.0
        return min(1.0, self._raw.consumed / self.size)

    def _where(self) -> str:
        return self.path.name

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        if self._gzip is not None:
            self._gzip.close()
        self._raw.close()

    def __enter__(self) -> FeedSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def text_lines(source: FeedSource) -> Iterator[str]:
    """Decoded lines (ending with "\\n" except maybe the last), strictly UTF-8, length-capped.

    Only "\\n" ends a line here: "\\r\\n" keeps its "\\r" for the csv module, and other
    characters that ``str.splitlines`` would split on may legitimately sit inside a field.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    offset = 0
    buffer = ""
    line_no = 1
    while True:
        chunk = source.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # Count the lines of this chunk that precede the bad byte, to name its line.
            before = exc.object[: exc.start].count(b"\n")
            raise FeedError(
                f"the file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte offset "
                f"about {offset + exc.start}); save it as UTF-8",
                where=f"line {line_no + before}",
            ) from exc
        offset += len(chunk)
        buffer += text
        if "\n" in buffer:
            *lines, buffer = buffer.split("\n")
            for line in lines:
                line_no += 1
                yield line + "\n"
        if len(buffer) > MAX_LINE:
            raise FeedError(
                f"a line longer than {MAX_LINE // 1024**2} MB (a corrupt or hostile file)",
                where=f"line {line_no}",
            )
        if not chunk:
            break
    if buffer:
        yield buffer


class Table:
    """A CSV/TSV file read row by row: the header, then ``(line, cells)`` for each data row.

    Fields are capped at :data:`MAX_FIELD` characters through ``csv.field_size_limit``; that
    limit is process-wide in the csv module, so it is set on each read rather than once.
    """

    def __init__(self, source: FeedSource, *, delimiter: str = ",") -> None:
        csv.field_size_limit(MAX_FIELD)
        self._reader = csv.reader(text_lines(source), delimiter=delimiter)
        try:
            header = next(self._reader)
        except StopIteration:
            raise FeedError("the file is empty", where=source.path.name) from None
        except csv.Error as exc:
            raise FeedError(f"unreadable header row: {exc}", where="line 1") from exc
        self.header = [h.strip().lstrip("\ufeff") for h in header]
        if not any(self.header):
            raise FeedError("the header row is empty", where="line 1")

    def column(self, *names: str) -> int | None:
        """Index of the first header matching one of ``names`` (case-insensitive)."""
        lowered = [h.lower() for h in self.header]
        for name in names:
            if name.lower() in lowered:
                return lowered.index(name.lower())
        return None

    def require(self, names: Iterable[str], kind: str) -> None:
        """Refuse the file as a whole when a column ``kind`` cannot do without is missing."""
        missing = [n for n in names if self.column(n) is None]
        if missing:
            raise FeedError(f"not a {kind}: no {', '.join(missing)} column", where="line 1")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Non-blank rows with the line each starts on, padded to the header's width."""
        width = len(self.header)
        last_line = self._reader.line_num
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FeedError(
                    f"malformed CSV: {exc}", where=f"line {self._reader.line_num}"
                ) from exc
            start, last_line = last_line + 1, self._reader.line_num
            if not "".join(cells).strip():  # a blank row (every cell empty or spaces)
                continue
            if len(cells) != width:
                cells = (cells + [""] * (width - len(cells)))[:width]
            yield start, cells

    def records(self, spelling: Iterable[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows as ``{header: trimmed cell}``; a repeated header keeps its first non-empty cell.

        Headers matching one of ``spelling`` case-insensitively are renamed to that spelling,
        so parsers can look columns up by their documented names whatever the file's case.
        """
        known = {name.lower(): name for name in spelling}
        names = [known.get(h.lower(), h) for h in self.header]
        if len(set(names)) == len(names):  # the usual case: each column its own name
            for line, cells in self.rows():
                yield line, dict(zip(names, map(str.strip, cells), strict=False))
            return
        for line, cells in self.rows():
            row: dict[str, str] = {}
            for name, cell in zip(names, cells, strict=False):
                if not row.get(name):
                    row[name] = cell.strip()
            yield line, row
