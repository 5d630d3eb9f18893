"""The photo library: curators' photos imported once, cleaned, and stored by content.

Importing a photo (:meth:`MediaLibrary.import_file`, :meth:`MediaLibrary.import_bytes`):

1. reads the bytes (the curator's file is only ever read: never rewritten, renamed or touched);
2. decodes them safely and normalises the picture (:mod:`studio.media.normalize`): upright,
   sRGB, 8-bit, first frame, every piece of private metadata gone;
3. encodes the master (:mod:`studio.media.encoding`: an upright sRGB JPEG loses its
   metadata segments without being re-encoded), names it by the SHA-256 of its bytes and
   stores it atomically (:mod:`studio.media.blobs`). The same photo imported twice is stored
   once: the second import reports ``deduplicated=True`` and writes nothing.

Any bad input - a decompression bomb, a truncated or corrupt file, a format outside the
allow-list, an empty file, a folder, a missing file - raises :class:`MediaError` naming the
source and the reason, and nothing at all is written: every check and all the decoding happen
before the first byte is stored.

An archive's photos (:meth:`MediaLibrary.stage_photo`) go through the same checks and
cleaning: a clean master (what the studio stored and exported) keeps its bytes and its name;
any other is cleaned as an import would clean it and stored under its new name.

Layout under ``root`` (``Paths.media``): masters at ``ab/cdef....jpg|png``, derivatives at
``derived/ab/cdef....preview.jpg`` and ``....thumb.jpg`` (``.png`` when the master has alpha).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from studio.media.blobs import (
    BlobStore,
    Staged,
    check_hash,
    sha256_hex,
    sync_all,
    write_atomic,
)
from studio.media.encoding import (
    MASTER_EXTS,
    PREVIEW_PX,
    THUMBNAIL_PX,
    clean_master_size,
    encode_derivative,
    encode_master,
    fit,
    render_derivatives,
)
from studio.media.errors import CORRUPT, MediaError
from studio.media.normalize import Normalized, normalize
from studio.media.safe_open import open_image
from studio.media.staging import Staging, Swept

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest file read at all: far above any camera's photo, far below a machine's memory."""

_DERIVED = "derived"
_RENDERER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="media-derivatives")
_MAGIC = {".jpg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}
_KINDS = {"preview": PREVIEW_PX, "thumb": THUMBNAIL_PX}


@dataclass(frozen=True, slots=True)
class StoredMedia:
    hash: str  # SHA-256 hex of the stored master file's bytes = its name
    width: int  # upright pixel size
    height: int
    format: str  # the source format detected: "JPEG", "PNG", "WEBP", "GIF", "HEIF", "AVIF", "MPO"
    source_bytes: int
    orientation: int  # the EXIF orientation applied (1 = none/upright; invalid values count as 1)
    removed: tuple[str, ...]  # private metadata removed, e.g. ("EXIF", "GPS position", "XMP")
    converted: tuple[str, ...]  # e.g. ("CMYK to sRGB", "16-bit to 8-bit", "first of 31 frames")
    has_alpha: bool
    deduplicated: bool  # the same content was already stored (nothing written)
    path: Path  # the stored master


def _check_blob(data: bytes | memoryview, media_hash: str, ext: str) -> None:
    """A master as an archive brings it: its name, type and bytes must agree (MediaError)."""
    check_hash(media_hash)
    if ext not in MASTER_EXTS:
        raise MediaError(f"not a master's file type: {ext!r}", source=media_hash)
    if bytes(data[: len(_MAGIC[ext])]) != _MAGIC[ext]:
        # Never a decoder's input it does not expect: the name must say what the bytes are.
        raise MediaError(f"the bytes are not a {ext[1:].upper()} file", source=media_hash)
    if sha256_hex(data) != media_hash:
        raise MediaError("the bytes do not match their SHA-256", source=media_hash)


class MediaLibrary:
    """Content-addressed photos under ``root``. Safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = Staging(self.root)  # tags this writer's temporary files
        self._masters = BlobStore(self.root, MASTER_EXTS, self.staging)
        self._derived_root = self.root / _DERIVED
        self._unsynced: list[Path] = []  # published blobs not yet synced
        self._unsynced_lock = threading.Lock()  # an archive import stores from many threads

    # ---- import -------------------------------------------------------------------------

    def import_file(self, path: Path, *, derivatives: bool = False) -> StoredMedia:
        """Import the photo at ``path``. MediaError(reason, source=str(path)) on any bad input.

        ``derivatives=True`` also writes the preview and thumbnail from the picture already in
        memory, which is much cheaper than :meth:`make_derivatives` decoding the master again.
        """
        label = str(path)
        return self._import(_read(Path(path), label), label, derivatives)

    def import_bytes(
        self, data: bytes, *, name: str = "<pasted image>", derivatives: bool = False
    ) -> StoredMedia:
        """Import a photo held in memory (pasted, dropped from a browser); ``name`` is its label."""
        return self._import(bytes(data), name, derivatives)

    def _import(self, data: bytes, label: str, derivatives: bool) -> StoredMedia:
        rendering: Future[dict[str, tuple[bytes, str]]] | None = None
        try:
            norm = normalize(io.BytesIO(data), label, upright=False)
            if derivatives:
                # Resizing releases the GIL: the preview (~120 ms for 12 MP, the longest step) is
                # made on the second core while this thread turns, encodes and stores the master.
                rendering = _RENDERER.submit(render_derivatives, norm.image, norm.transpose)
            upright = norm.image if norm.transpose is None else norm.image.transpose(norm.transpose)
            master, ext = encode_master(norm, upright, data)
        except MediaError:
            _discard(rendering)
            raise
        except MemoryError as exc:
            _discard(rendering)
            raise MediaError("image too large to decode in memory", source=label) from exc
        except Exception as exc:  # Pillow raises many types on hostile data
            _discard(rendering)
            raise MediaError(CORRUPT, source=label) from exc
        try:
            digest, path, existed = self._masters.put(master, ext)
        except BaseException:
            _discard(rendering)
            raise
        if rendering is not None:
            try:
                for kind, (blob, suffix) in rendering.result().items():
                    if self._find_derived(digest, kind) is None:
                        write_atomic(
                            self._derived_path(digest, kind, suffix),
                            blob,
                            durable=False,
                            staging=self.staging,
                        )
            except Exception as exc:  # any failure here only costs a cache entry
                # The photo itself is safely stored; a missing preview is made again on demand.
                log.warning("preview of %s not written: %s", label, exc)
        self.sweep_stale()  # a job that wrote photos: what dead jobs left goes too
        return _stored(norm, upright.size, digest, path, existed, len(data))

    def put_blob(self, data: bytes, media_hash: str, ext: str) -> Path:
        """Store ``data`` byte for byte as the master named ``media_hash``, without the
        pipeline (tools and benchmarks that fill a library; an archive's photos go through
        ``stage_photo``).

        Verifies that ``media_hash`` is the SHA-256 of ``data`` (MediaError otherwise, nothing
        written); atomic like every write here; idempotent (a master already stored is left
        as it is). ``ext`` must be a master's suffix (".jpg" or ".png"). Returns the path.
        """
        _check_blob(data, media_hash, ext)
        return self._masters.put(data, ext, media_hash=media_hash)[1]

    def stage_photo(self, data: bytes | memoryview, media_hash: str, ext: str) -> StagedPhoto:
        """An archive's photo through the same checks and cleaning as an import, staged
        (see ``stage_blob``) under the name of what will be stored.

        Its name, type and SHA-256 must agree first (MediaError: the archive is damaged).
        A clean master - what the studio stored and exported, recognised from its structure
        (``encoding.clean_master_size``) - is staged byte for byte under its own name. Any
        other photo (one that keeps its GPS position, carries a payload after its end, is
        turned by its EXIF...) goes through the whole pipeline of ``import_bytes`` (safe
        decoding: a bomb or a broken file is a MediaError with the reason; every piece of
        private metadata removed) and is staged under the new master's SHA-256, which the
        returned ``StagedPhoto.hash`` gives: the records naming it must follow.
        """
        _check_blob(data, media_hash, ext)
        if clean_master_size(data, ext) is not None:
            return StagedPhoto(self._masters.stage(data, ext, media_hash), media_hash, len(data))
        if len(data) > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // (1024 * 1024)
            raise MediaError(f"file too large (over {mb} MB)", source=media_hash)
        with _CLEANING:
            master, new_ext, size = clean_master(bytes(data), media_hash)
        digest = sha256_hex(master)
        return StagedPhoto(self._masters.stage(master, new_ext, digest), digest, len(master), size)

    def stage_blob(self, data: bytes | memoryview, media_hash: str, ext: str) -> Staged | None:
        """``put_blob``'s checks, then the bytes written under a temporary name, not yet a
        master (None when the master is already stored). A batch is ``publish``ed once every
        blob of it is staged, or ``discard``ed: a refused archive leaves no file behind."""
        _check_blob(data, media_hash, ext)
        return self._masters.stage(data, ext, media_hash)

    def publish(self, staged: Staged) -> Path:
        """Move a staged blob into place; ``sync()`` makes it durable with the rest."""
        path = self._masters.publish(staged)
        with self._unsynced_lock:
            self._unsynced.append(path)
        return path

    def discard(self, staged: list[Staged]) -> None:
        self._masters.discard(staged)

    def sweep_stale(self) -> Swept:
        """Remove the temporary files of writers that died before finishing (a killed
        archive import's staged photos...), never those of a job still running in another
        process (``studio.media.staging``). Cheap when there are none: one small listing.
        Never fails the job it follows: a sweep that cannot finish is logged."""
        try:
            return self.staging.sweep()
        except OSError as exc:
            log.warning("leftovers in %s not swept: %s", self.root, exc)
            return Swept()

    def sync(self) -> None:
        """Make every blob ``publish``ed so far durable (one sync for a whole batch)."""
        with self._unsynced_lock:
            files, self._unsynced = self._unsynced, []
        if files:
            sync_all(files)

    # ---- lookup ---------------------------------------------------------------------------

    def path(self, media_hash: str) -> Path:
        """The master's path (it may not exist). ValueError if ``media_hash`` is not a digest."""
        found = self._masters.find(media_hash)
        return found if found is not None else self._masters.path_for(media_hash, MASTER_EXTS[0])

    def has(self, media_hash: str) -> bool:
        try:
            return self._masters.find(media_hash) is not None
        except ValueError:
            return False

    # ---- derivatives ----------------------------------------------------------------------

    def preview(self, media_hash: str) -> Path:
        """The screen preview (long side <= 2560 px), made from the master if missing."""
        return self._derivative(media_hash, "preview")

    def thumbnail(self, media_hash: str) -> Path:
        """The thumbnail (long side <= 512 px), made from the master if missing."""
        return self._derivative(media_hash, "thumb")

    def make_derivatives(self, media_hash: str) -> None:
        """Make whichever of the preview and thumbnail is missing (one decode of the master)."""
        missing = [kind for kind in _KINDS if self._find_derived(media_hash, kind) is None]
        if not missing:
            return
        img = self._open_master(media_hash, _KINDS[missing[0]])
        self._write_derivatives(media_hash, img)

    def _derivative(self, media_hash: str, kind: str) -> Path:
        found = self._find_derived(media_hash, kind)
        if found is not None:
            return found
        img = fit(self._open_master(media_hash, _KINDS[kind]), _KINDS[kind])
        data, ext = encode_derivative(img)
        target = self._derived_path(media_hash, kind, ext)
        write_atomic(target, data, durable=False, staging=self.staging)
        return target

    def _write_derivatives(self, media_hash: str, img: Image.Image) -> None:
        for kind, (blob, suffix) in render_derivatives(img).items():
            if self._find_derived(media_hash, kind) is None:
                write_atomic(
                    self._derived_path(media_hash, kind, suffix),
                    blob,
                    durable=False,
                    staging=self.staging,
                )

    def _open_master(self, media_hash: str, draft: int) -> Image.Image:
        master = self._masters.find(media_hash)
        if master is None:
            raise MediaError("not in the media library", source=media_hash)
        return open_image(master, draft_size=draft)

    def _find_derived(self, media_hash: str, kind: str) -> Path | None:
        for ext in MASTER_EXTS:
            path = self._derived_path(media_hash, kind, ext)
            if path.is_file():
                return path
        return None

    def _derived_path(self, media_hash: str, kind: str, ext: str) -> Path:
        check_hash(media_hash)
        return self._derived_root / media_hash[:2] / f"{media_hash[2:]}.{kind}{ext}"


@dataclass(frozen=True, slots=True)
class StagedPhoto:
    """An archive's photo as staged: the staged file (None when the library holds it
    already), the hash it is stored under, its size in bytes and, when the pipeline
    rewrote it, its upright (width, height)."""

    staged: Staged | None
    hash: str
    length: int
    size: tuple[int, int] | None = None


# Photos that need the whole pipeline are cleaned one at a time: each may decode up to the
# pixel cap (100 MP, ~400 MB), and an archive's clean photos go on meanwhile.
_CLEANING = threading.Lock()


def clean_master(data: bytes, label: str) -> tuple[bytes, str, tuple[int, int]]:
    """``data`` through the import's pipeline: the master's bytes, suffix and upright size.
    MediaError (and only that) for a bomb, a broken file or a format outside the allow-list."""
    try:
        norm = normalize(io.BytesIO(data), label)
        master, ext = encode_master(norm, norm.image, data)
    except MediaError:
        raise
    except MemoryError as exc:
        raise MediaError("image too large to decode in memory", source=label) from exc
    except Exception as exc:  # Pillow raises many types on hostile data
        raise MediaError(CORRUPT, source=label) from exc
    return master, ext, norm.image.size


def _read(path: Path, label: str) -> bytes:
    """The file's bytes, or MediaError for a folder, a missing file or an oversized one."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise MediaError("not a file (it is a folder)", source=label)
        if not stat.S_ISREG(info.st_mode):
            raise MediaError("not a regular file", source=label)
        if info.st_size > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // (1024 * 1024)
            raise MediaError(f"file too large (over {mb} MB)", source=label)
        with open(path, "rb") as fp:
            return fp.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise MediaError(f"cannot read the file ({exc.strerror or exc})", source=label) from exc


def _discard(rendering: Future[dict[str, tuple[bytes, str]]] | None) -> None:
    """Wait for a preview nobody will store (the import failed) so no work outlives it."""
    if rendering is not None:
        with contextlib.suppress(Exception):
            rendering.result()


def _stored(
    norm: Normalized, upright: tuple[int, int], digest: str, path: Path, existed: bool, size: int
) -> StoredMedia:
    width, height = upright
    return StoredMedia(
        hash=digest,
        width=width,
        height=height,
        format=norm.format,
        source_bytes=size,
        orientation=norm.orientation,
        removed=norm.removed,
        converted=norm.converted,
        has_alpha=norm.has_alpha,
        deduplicated=existed,
        path=path,
    )
