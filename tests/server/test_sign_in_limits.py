"""Failed sign-ins are limited per account and per client address, in the database
(studio.server.ratelimit): 429 with Retry-After, before the password is even checked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from serverhelp import Api, slug

from studio.server import ratelimit
from studio.server.app import create_app
from studio.server.db import Database
from studio.server.settings import Settings, SignInLimits


@pytest.fixture
def limited(settings: Settings, db: Database) -> Api:
    tight = settings.with_(sign_in=SignInLimits(window_seconds=3600, per_account=3, per_address=5))
    return Api(TestClient(create_app(tight, db=db, migrate=False)))


def test_an_account_is_locked_after_its_failures_even_for_the_right_password(limited: Api) -> None:
    user = limited.sign_up()
    for _ in range(3):
        assert slug(limited.sign_in(user["email"], password="wrong password")) == "unauthorized"
    r = limited.sign_in(user["email"])  # the right password, too late
    assert r.status_code == 429 and slug(r) == "rate-limited"
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 3600
    # The email is the account whatever its case.
    assert limited.sign_in(user["email"].upper()).status_code == 429


def test_successes_do_not_count(limited: Api) -> None:
    user = limited.sign_up()
    for _ in range(6):
        assert limited.sign_in(user["email"]).status_code == 201


def test_an_address_is_locked_across_accounts(limited: Api) -> None:
    emails = [limited.sign_up()["email"] for _ in range(3)]
    for email in emails + emails[:2]:  # 5 failures, at most 2 per account
        assert limited.sign_in(email, password="wrong password").status_code == 401
    r = limited.sign_in(emails[2])
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_counters_are_shared_by_every_process_of_the_database(
    settings: Settings, db: Database
) -> None:
    """Two apps on one database (two server processes behind a load balancer)."""
    tight = settings.with_(sign_in=SignInLimits(window_seconds=3600, per_account=2, per_address=99))
    one = Api(TestClient(create_app(tight, db=db, migrate=False)))
    two = Api(TestClient(create_app(tight, db=Database(db.url), migrate=False)))
    email = one.sign_up()["email"]
    assert one.sign_in(email, password="wrong password").status_code == 401
    assert two.sign_in(email, password="wrong password").status_code == 401
    assert one.sign_in(email).status_code == 429
    assert two.sign_in(email).status_code == 429


def test_a_new_window_starts_afresh(db: Database) -> None:
    limits = SignInLimits(window_seconds=60, per_account=1, per_address=99)
    keys = ratelimit.keys_for("Ann@Example.com", "10.0.0.1", limits)
    now = 960_020.0  # 20 s into a window (960,000 = 16,000 minutes)
    with db.write() as s:
        ratelimit.record_failure(s, keys, limits, now)
    with db.read() as s:
        assert ratelimit.retry_after(s, keys, limits, now) == 40
        assert ratelimit.retry_after(s, keys, limits, now + 40) is None
    with db.write() as s:  # a failure in the next window drops the old one's rows
        ratelimit.record_failure(s, keys, limits, now + 40)
        ratelimit.record_failure(s, keys, limits, now + 41)
    with db.read() as s:
        assert ratelimit.retry_after(s, keys, limits, now + 41) == 59
