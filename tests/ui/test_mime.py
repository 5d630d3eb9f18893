"""The documented drag format application/x-vitrine-product-ids."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData

from studio.ui.widgets.mime import (
    MIME_TYPE,
    decode_payload,
    decode_product_ids,
    encode_payload,
    product_mime_data,
)


def test_payload_is_versioned_json_with_the_ids() -> None:
    data = encode_payload([3, 1, 2])
    assert json.loads(data.decode("utf-8")) == {"version": 1, "product_ids": [3, 1, 2]}
    assert decode_payload(data) == [3, 1, 2]


def test_mime_data_carries_ids_and_titles(qapp: object) -> None:
    mime = product_mime_data([7, 8], ["Linen shirt", "Café mug"])
    assert mime.hasFormat(MIME_TYPE)
    assert mime.text() == "Linen shirt\nCafé mug"
    assert decode_product_ids(mime) == [7, 8]


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"\xff\xfe",
        b'{"version": 2, "product_ids": [1]}',
        b'{"version": 1, "product_ids": ["1"]}',
        b'{"version": 1, "product_ids": [true]}',
        b'{"version": 1}',
        b"[1, 2]",
    ],
)
def test_bad_payloads_are_refused(payload: bytes, qapp: object) -> None:
    with pytest.raises(ValueError):
        decode_payload(payload)
    mime = QMimeData()
    mime.setData(MIME_TYPE, payload)
    assert decode_product_ids(mime) == []


def test_a_drop_without_the_type_carries_no_ids(qapp: object) -> None:
    mime = QMimeData()
    mime.setText("12")
    assert decode_product_ids(mime) == []
