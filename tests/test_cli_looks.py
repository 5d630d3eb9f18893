"""``studio looks|boards list|export`` on looks and boards made through the real stores."""

from __future__ import annotations

import html
import json
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from bench.catalog_gen import write_google_xml
from studio.cli import main
from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop, LookStatus, MatchKind, ProductRef
from studio.core.sharing import MISSING_FROM_CATALOG, PLAIN_LINKS_NOTICE
from studio.media.export import SHEET_WIDTH
from studio.media.library import MediaLibrary
from studio.store.boards import BoardStore
from studio.store.db import open_database
from studio.store.looks import LookStore
from studio.system.paths import resolve_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def store(
    studio_home: Path, tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, str]:
    """A catalog of 20 products, a look with a cropped, turned photo and three hotspots (one of
    them on a product no longer in the catalog), an empty look, and a board."""
    photo = fixtures_dir / "images" / "exif_orientation" / "Landscape_0.jpg"
    if not photo.is_file():
        pytest.fail(f"fixture photo absent: {photo}" + " (../shared is incomplete)", pytrace=False)
    feed = write_google_xml(tmp_path / "feed.xml", 20, seed=5)
    assert run(capsys, "import-feed", str(feed), "--merchant", "Acme")[0] == 0
    paths = resolve_paths(studio_home)
    with sqlite3.connect(paths.catalog_database) as conn:
        products = conn.execute(
            "SELECT id, offer_id, title FROM products ORDER BY id LIMIT 2"
        ).fetchall()
    stored = MediaLibrary(paths.media).import_file(photo)
    db = open_database(paths.database)
    try:
        looks = LookStore(db)
        look = looks.create_look("Autumn walk")
        looks.update_look(
            look.id,
            caption="Cold and bright.",
            occasions=("weekend",),
            seasons=("autumn",),
            status=LookStatus.READY,
        )
        p = looks.add_photo(look.id, stored.hash, stored.width, stored.height)
        looks.update_photo(p.id, crop=Crop(0.1, 0.0, 0.9, 1.0), rotation=1, alt_text="A falls")
        for (pid, offer, _), (x, y) in zip(products, [(0.3, 0.4), (0.6, 0.7)], strict=True):
            looks.add_hotspot(p.id, ProductRef(pid, "Acme", offer), x, y, label="the coat")
        looks.add_hotspot(
            p.id,
            ProductRef(None, "Gone Ltd", "old-1"),
            0.5,
            0.5,
            label="old scarf",
            kind=MatchKind.SIMILAR,
        )
        empty = looks.create_look("Empty </b> look")
        boards = BoardStore(db)
        board = boards.create_board("Moodboard")
        boards.add_item(
            BoardItem(
                "i1",
                board.id,
                BoardItemKind.PRODUCT,
                400,
                400,
                300,
                200,
                rotation=10,
                product=ProductRef(products[0][0], "Acme", products[0][1]),
                media_hash=stored.hash,
            )
        )
        boards.add_item(
            BoardItem(
                "i2",
                board.id,
                BoardItemKind.TEXT,
                600,
                900,
                500,
                80,
                text="Autumn",
                color="#aa3300",
            )
        )
    finally:
        db.close()
    capsys.readouterr()
    return {"look": look.id, "empty": empty.id, "board": board.id, "title": products[0][2]}


def test_looks_list_json(capsys: pytest.CaptureFixture[str], store: dict[str, str]) -> None:
    code, out, err = run(capsys, "looks", "list", "--json")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {store["look"], store["empty"]}
    look = rows[store["look"]]
    assert set(look) == {"id", "title", "status", "photos", "hotspots", "tags", "updated_at"}
    assert (look["title"], look["status"], look["photos"], look["hotspots"]) == (
        "Autumn walk",
        "ready",
        1,
        3,
    )
    assert look["tags"] == ["weekend", "autumn"] and look["updated_at"]
    code, out, _ = run(capsys, "looks", "list")
    assert code == 0 and "2 looks" in out and "Autumn walk" in out


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_looks_export_picture(
    capsys: pytest.CaptureFixture[str], store: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"look.{fmt}"
    code, text, err = run(
        capsys, "looks", "export", store["look"], "--format", fmt, "--out", str(out)
    )
    assert code == 0, err
    assert "3 tagged products" in text
    with Image.open(out) as img:
        assert img.format == fmt.upper() and img.width == SHEET_WIDTH
        assert img.height > 1440 + 3 * 60  # the turned photo plus a legend of three
        assert not img.getexif()


def test_looks_export_html(
    capsys: pytest.CaptureFixture[str], store: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "look.html"
    code, _, err = run(capsys, "looks", "export", store["look"], "--out", str(out))
    assert code == 0, err  # the format comes from the suffix
    text = out.read_text(encoding="utf-8")
    hrefs: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                hrefs.append(str(dict(attrs)["href"]))

    Links().feed(text)
    assert len(hrefs) == 4 and all(h.startswith("https://") for h in hrefs)  # 2 markers + 2 lines
    assert html.escape(PLAIN_LINKS_NOTICE) in text and MISSING_FROM_CATALOG in text
    assert store["title"] in text.replace("&#x27;", "'").replace("&amp;", "&")


def test_export_of_an_unknown_look_fails_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], store: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "nothing.png"
    code, _, err = run(
        capsys, "looks", "export", "no-such-id", "--format", "png", "--out", str(out)
    )
    assert code == 1 and "no look with id 'no-such-id'" in err
    code, _, err = run(
        capsys, "looks", "export", store["look"], "--out", str(tmp_path / "look.tiff")
    )
    assert code == 1 and "--format" in err
    code, _, err = run(
        capsys,
        "looks",
        "export",
        store["look"],
        "--format",
        "png",
        "--out",
        str(tmp_path / "missing-dir" / "x.png"),
    )
    assert code == 1 and "folder does not exist" in err
    assert list(tmp_path.glob("*.png")) == [] and list(tmp_path.glob(".*")) == []


def test_export_of_an_empty_look(
    capsys: pytest.CaptureFixture[str], store: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "empty.html"
    assert (
        run(capsys, "looks", "export", store["empty"], "--format", "html", "--out", str(out))[0]
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "Empty &lt;/b&gt; look" in text and "</b> look" not in text


def test_boards_list_and_export(
    capsys: pytest.CaptureFixture[str], store: dict[str, str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "boards", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["id"], r["title"], r["items"]) for r in rows] == [(store["board"], "Moodboard", 2)]
    for fmt in ("png", "jpeg", "html"):
        path = tmp_path / f"board.{fmt}"
        code, _, err = run(
            capsys, "boards", "export", store["board"], "--format", fmt, "--out", str(path)
        )
        assert code == 0, err
        assert path.stat().st_size > 1000
    with Image.open(tmp_path / "board.png") as img:
        assert img.width == SHEET_WIDTH and img.height > 1200
    assert "https://" in (tmp_path / "board.html").read_text(encoding="utf-8")
    code, _, err = run(
        capsys, "boards", "export", "nope", "--format", "png", "--out", str(tmp_path / "b.png")
    )
    assert code == 1 and "no board with id 'nope'" in err
