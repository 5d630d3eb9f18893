"""A clean JPEG master is recognised by its structure: the quick answer equals the exact walk.

``encoding.clean_master_size`` decides whether an archive's photo is kept byte for byte (a
clean master) or goes through the whole pipeline. For the usual master (one scan, no restart
markers) it answers from counts over the entropy-coded data (``_stuffed_to_eoi``) instead of
finding every marker; anything else is left to the marker-by-marker walk. These tests hold the
quick answer to the walk's: a segment hidden between the scan and the EOI, fill bytes, restart
markers, progressive scans and arbitrary bytes written anywhere in the scan.
"""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from studio.media import encoding
from studio.media.encoding import clean_master_size


def _master(
    seed: int = 1, size: tuple[int, int] = (96, 64), options: dict[str, object] | None = None
) -> bytes:
    """A JPEG as the library stores it: Pillow's, quality 92, a bare JFIF header."""
    rng = random.Random(seed)
    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92, **(options or {}))
    return out.getvalue()


def _scan_start(data: bytes) -> int:
    """Where the first scan's entropy-coded data begins (after the SOS segment)."""
    pos = 2
    while data[pos + 1] != 0xDA:
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")


def _walked(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int] | None:
    """The answer of the marker-by-marker walk alone (the quick check disabled)."""
    with monkeypatch.context() as patch:
        patch.setattr(encoding, "_stuffed_to_eoi", lambda data, pos: False)
        return clean_master_size(data, ".jpg")


def test_the_usual_master_is_answered_without_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    master = _master()
    assert encoding._stuffed_to_eoi(master, _scan_start(master))
    monkeypatch.setattr(encoding, "_marker_positions", None)  # the walk would fail
    assert clean_master_size(master, ".jpg") == (96, 64)


@pytest.mark.parametrize(
    "hidden",
    [
        b"\xff\xfe\x00\x08<script",  # a comment
        b"\xff\xe1\x00\x0eExif\x00\x00GPS!!!",  # an EXIF block
        b"\xff\xd9",  # an early end: what follows would be kept as it is
        b"\xff\xff\xfe\x00\x04ab",  # a comment behind a fill byte
    ],
)
def test_a_segment_hidden_before_the_end_is_found(
    hidden: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    master = _master()
    spoiled = master[:-2] + hidden + master[-2:]
    assert clean_master_size(spoiled, ".jpg") is None
    assert _walked(spoiled, monkeypatch) is None


@pytest.mark.parametrize(
    "options", [{"progressive": True}, {"restart_marker_blocks": 1}], ids=["progressive", "rst"]
)
def test_masters_the_quick_check_leaves_to_the_walk_are_still_clean(
    options: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    master = _master(options=options)
    assert not encoding._stuffed_to_eoi(master, _scan_start(master))
    assert clean_master_size(master, ".jpg") == (96, 64)
    assert _walked(master, monkeypatch) == (96, 64)


@settings(max_examples=300, deadline=None)
@given(
    where=st.floats(min_value=0.0, max_value=1.0),
    written=st.lists(
        st.one_of(
            st.sampled_from([0xFF, 0x00, 0xD0, 0xD7, 0xD9, 0xDA, 0xE1, 0x01]), st.integers(0, 255)
        ),
        min_size=1,
        max_size=4,
    ).map(bytes),
    insert=st.booleans(),
    seed=st.integers(min_value=1, max_value=4),
)
def test_any_bytes_written_into_the_scan_get_the_walks_answer(
    where: float, written: bytes, insert: bool, seed: int
) -> None:
    master = _master(seed, (40, 24))
    start = _scan_start(master)
    at = start + int(where * (len(master) - start))
    spoiled = master[:at] + written + master[at + (0 if insert else len(written)) :]
    with pytest.MonkeyPatch.context() as patch:
        walked = _walked(spoiled, patch)
    assert clean_master_size(spoiled, ".jpg") == walked
