"""``studio-server``'s admin commands (studio.server.cli): accounts, merchants and rates, feed
ingest with the importer's report, and one-line errors that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy

from studio.server.cli import main
from studio.server.db import Database
from studio.server.models import Product, User

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo"


def run(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", db.url])
    out, err = capsys.readouterr()
    return code, out, err


def _products(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(sqlalchemy.select(sqlalchemy.func.count()).select_from(Product)) or 0)


def test_users_add_list_disable(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VITRINE_PASSWORD", "a long password")
    code, out, _ = run(
        db,
        capsys,
        "users",
        "add",
        "--email",
        "ann@example.com",
        "--handle",
        "ann",
        "--role",
        "expert",
    )
    assert code == 0 and "ann" in out
    code, _, err = run(db, capsys, "users", "add", "--email", "ANN@example.com", "--handle", "x1x")
    assert code == 1 and err.startswith("studio-server: error:") and err.count("\n") == 1
    code, out, _ = run(db, capsys, "users", "list", "--json")
    (row,) = json.loads(out)
    assert (row["email"], row["role"], row["disabled"]) == ("ann@example.com", "expert", False)
    assert run(db, capsys, "users", "disable", "ann@example.com")[0] == 0
    with db.read() as s:
        assert s.scalars(sqlalchemy.select(User.disabled)).one() is True
    code, _, err = run(db, capsys, "users", "disable", "bob@example.com")
    assert code == 1 and "bob@example.com" in err


def test_users_add_refuses_a_short_password_and_writes_nothing(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VITRINE_PASSWORD", "short")
    code, _, err = run(db, capsys, "users", "add", "--email", "a@example.com", "--handle", "abc")
    assert code == 1 and "password" in err and "short" not in err.split("error:")[1].split(":")[0]
    monkeypatch.delenv("VITRINE_PASSWORD")
    code, _, err = run(db, capsys, "users", "add", "--email", "a@example.com", "--handle", "abc")
    assert code == 1 and "VITRINE_PASSWORD" in err  # no terminal to prompt in
    with db.read() as s:
        assert s.scalar(sqlalchemy.select(sqlalchemy.func.count()).select_from(User)) == 0


def test_merchants_add_prints_the_webhook_secret_and_rates(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        db,
        capsys,
        "merchants",
        "add",
        "Nordlys Coffee",
        "--rate",
        "8%",
        "--category",
        "Equipment",
        "10%",
    )
    assert code == 0 and "whsec_" in out
    code, out, _ = run(db, capsys, "merchants", "list", "--json")
    assert [(m["name"], m["rate"]) for m in json.loads(out)] == [("Nordlys Coffee", "0.08")]
    code, _, err = run(db, capsys, "merchants", "add", "Nordlys Coffee", "--rate", "5%")
    assert code == 1 and "exists" in err
    with pytest.raises(SystemExit) as usage:
        main(["merchants", "add", "X", "--db", db.url, "--rate", "150%"])
    assert usage.value.code == 2
    code, _, err = run(
        db, capsys, "merchants", "add", "Y", "--rate", "5%", "--category", "A", "many"
    )
    assert code == 1 and "many" in err


def test_ingest_feed_reports_like_the_studio_and_rates_apply(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        db,
        capsys,
        "merchants",
        "add",
        "Nordlys Coffee",
        "--rate",
        "12%",
        "--category",
        "Equipment",
        "7%",
    )
    feed = str(DEMO / "nordlys-coffee.json")
    code, out, _ = run(
        db,
        capsys,
        "ingest-feed",
        feed,
        "--merchant",
        "Nordlys Coffee",
        "--currency",
        "USD",
        "--json",
    )
    report = json.loads(out)
    assert code == 0 and report["added"] == _products(db) > 0 and report["format"] == "shopify-json"
    code, out, _ = run(
        db, capsys, "ingest-feed", feed, "--merchant", "Nordlys Coffee", "--currency", "USD"
    )
    assert code == 0 and "unchanged" in out and "added                        0" in out
    with db.read() as s:
        rates = dict(s.execute(sqlalchemy.select(Product.category, Product.effective_rate)).all())
    assert rates["Equipment > Grinders"] == "0.07" and rates["Coffee"] == "0.12"
    code, out, _ = run(
        db,
        capsys,
        "merchants",
        "rate",
        "Nordlys Coffee",
        "--rate",
        "20%",
        "--category",
        "Equipment > Grinders",
    )
    assert code == 0 and "1 products" in out


def test_a_hostile_or_missing_feed_is_one_line_and_writes_nothing(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(db, capsys, "merchants", "add", "M", "--rate", "8%")
    bomb = tmp_path / "feed.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id>'
        "<g:title>&b;</g:title></item></channel></rss>"
    )
    for path in [bomb, tmp_path / "missing.xml", REPO / "README.md"]:
        code, _out, err = run(db, capsys, "ingest-feed", str(path), "--merchant", "M")
        assert code == 1 and err.startswith("studio-server: error:") and err.count("\n") == 1, err
        assert "Traceback" not in err
    assert _products(db) == 0
    code, _, err = run(
        db, capsys, "ingest-feed", str(DEMO / "trailhead.tsv"), "--merchant", "Nobody"
    )
    assert code == 1 and "Nobody" in err


def test_an_unusable_database_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for url in ["nonsense://x", "postgresql+psycopg://nobody@127.0.0.1:1/none"]:
        code = main(["migrate", "--data", str(tmp_path), "--db", url])
        err = capsys.readouterr().err
        assert code == 1 and err.startswith("studio-server: error:") and err.count("\n") == 1
        assert "details in" not in err  # said plainly, not as a bug


@pytest.mark.parametrize("workers", ["0", "-1", "65", "two"])
def test_run_refuses_a_number_of_workers_that_is_not_one(
    db: Database, workers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["run", "--workers", workers, "--db", db.url])
    assert usage.value.code == 2
    assert "--workers" in capsys.readouterr().err
