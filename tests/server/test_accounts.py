"""Accounts, sessions and devices as /work/briefs/i13/api.md says (studio.server.accounts,
routes_accounts): sign-up rules, sign-in without enumeration, hashed tokens, rotation with
reuse detection, sign-out and revocation, disabled accounts, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy
from fastapi.testclient import TestClient
from serverhelp import PASSWORD, Api, slug

from studio.server.app import create_app
from studio.server.db import Database
from studio.server.models import AccessToken, Device, RefreshToken, User
from studio.server.settings import PasswordCost, Settings


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(sqlalchemy.select(sqlalchemy.func.count()).select_from(model)) or 0)


def test_sign_up_returns_the_user_and_stores_an_argon2id_hash(api: Api, db: Database) -> None:
    user = api.sign_up(handle="Ann_1", email="Ann@Example.com")
    assert user["handle"] == "Ann_1" and user["email"] == "Ann@Example.com"
    assert user["role"] == "member" and user["tier"] == "starter"
    assert datetime.fromisoformat(user["created_at"]).tzinfo is not None
    with db.read() as s:
        stored = s.scalars(sqlalchemy.select(User)).one()
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_handle_and_email_are_unique_without_case_and_the_conflict_names_which(api: Api) -> None:
    api.sign_up(handle="ann", email="ann@example.com")
    body = {"password": PASSWORD, "display_name": "A"}
    r = api.client.post("/v1/accounts", json={**body, "email": "x@example.com", "handle": "ANN"})
    assert r.status_code == 409 and slug(r) == "conflict" and "handle" in r.json()["detail"]
    r = api.client.post(
        "/v1/accounts", json={**body, "email": "ANN@example.COM", "handle": "other"}
    )
    assert r.status_code == 409 and slug(r) == "conflict" and "email" in r.json()["detail"]


def test_sign_up_rules_are_422_and_write_nothing(api: Api, db: Database) -> None:
    good = {"email": "a@example.com", "password": PASSWORD, "display_name": "A", "handle": "abc"}
    for change in [
        {"handle": "ab"},
        {"handle": "a" * 31},
        {"handle": "has space"},
        {"handle": "émile"},
        {"password": "short"},
        {"email": "not-an-email"},
        {"display_name": "   "},
        {"handle": 123},
    ]:
        r = api.client.post("/v1/accounts", json={**good, **change})
        assert r.status_code == 422, change
        assert slug(r) == "validation"
        assert PASSWORD not in r.text  # the input is never echoed back
    assert _count(db, User) == 0


def test_wrong_email_and_wrong_password_answer_alike(api: Api) -> None:
    user = api.sign_up()
    wrong_password = api.sign_in(user["email"], password="not the password")
    unknown = api.sign_in("nobody@example.com")
    assert wrong_password.status_code == unknown.status_code == 401
    assert slug(wrong_password) == slug(unknown) == "unauthorized"
    assert wrong_password.json()["title"] == unknown.json()["title"]
    assert wrong_password.json()["detail"] == unknown.json()["detail"]


def test_a_session_is_a_device_with_hashed_tokens(api: Api, db: Database) -> None:
    me = api.account("Ann's laptop")
    s = me.session
    assert s["access_expires_in"] == 900
    assert s["device"]["name"] == "Ann's laptop" and s["device"]["current"] is True
    assert s["user"] == me.user
    assert len(s["access_token"]) >= 43 and s["access_token"] != s["refresh_token"]
    with db.read() as session:
        hashes = list(session.scalars(sqlalchemy.select(AccessToken.token_hash)))
        hashes += list(session.scalars(sqlalchemy.select(RefreshToken.token_hash)))
    assert len(hashes) == 2
    assert s["access_token"] not in hashes and s["refresh_token"] not in hashes
    assert all(len(h) == 64 for h in hashes)  # SHA-256 hex
    assert api.get("/v1/me", me).json() == me.user


def test_devices_list_only_the_callers_own(api: Api) -> None:
    ann = api.account("laptop")
    second = api.sign_in(ann.email, "desktop").json()
    bob = api.account("bob's")
    listed = api.get("/v1/me/devices", ann).json()["devices"]
    assert [d["name"] for d in listed] == ["laptop", "desktop"]
    assert [d["current"] for d in listed] == [True, False]
    assert {d["id"] for d in listed} == {ann.device_id, second["device"]["id"]}
    assert bob.device_id not in {d["id"] for d in listed}


def test_revoking_a_device_signs_it_out_and_another_users_device_is_404(api: Api) -> None:
    ann = api.account("laptop")
    other = api.sign_in(ann.email, "desktop").json()
    bob = api.account()
    r = api.client.delete(f"/v1/me/devices/{bob.device_id}", headers=ann.headers)
    assert r.status_code == 404 and slug(r) == "not-found"
    assert api.get("/v1/me", bob).status_code == 200  # untouched
    r = api.client.delete(f"/v1/me/devices/{other['device']['id']}", headers=ann.headers)
    assert r.status_code == 204
    revoked = api.client.get("/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"})
    assert revoked.status_code == 401 and slug(revoked) == "revoked"
    refreshed = api.client.post(
        "/v1/sessions/refresh", json={"refresh_token": other["refresh_token"]}
    )
    assert refreshed.status_code == 401 and slug(refreshed) == "revoked"
    assert [d["name"] for d in api.get("/v1/me/devices", ann).json()["devices"]] == ["laptop"]


def test_sign_out_revokes_this_device_only(api: Api) -> None:
    ann = api.account("laptop")
    other = api.sign_in(ann.email, "desktop").json()
    assert api.client.delete("/v1/sessions/current", headers=ann.headers).status_code == 204
    assert slug(api.get("/v1/me", ann)) == "revoked"
    still = api.client.get("/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"})
    assert still.status_code == 200


def test_refresh_rotates_both_tokens(api: Api) -> None:
    ann = api.account()
    r = api.client.post(
        "/v1/sessions/refresh", json={"refresh_token": ann.session["refresh_token"]}
    )
    assert r.status_code == 200
    new = r.json()
    assert new["refresh_token"] != ann.session["refresh_token"]
    assert new["access_token"] != ann.session["access_token"]
    assert new["device"]["id"] == ann.device_id and new["user"]["id"] == ann.user["id"]
    fresh = api.client.get("/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert fresh.status_code == 200
    again = api.client.post("/v1/sessions/refresh", json={"refresh_token": new["refresh_token"]})
    assert again.status_code == 200


def test_a_rotated_refresh_token_presented_again_revokes_the_whole_family(
    api: Api, db: Database
) -> None:
    ann = api.account()
    old = ann.session["refresh_token"]
    new = api.client.post("/v1/sessions/refresh", json={"refresh_token": old}).json()
    replay = api.client.post("/v1/sessions/refresh", json={"refresh_token": old})
    assert replay.status_code == 401 and slug(replay) == "token-reused"
    # Every token of the device is dead: the thief's and the owner's alike.
    for token in (new["access_token"], ann.session["access_token"]):
        r = api.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and slug(r) == "revoked"
    r = api.client.post("/v1/sessions/refresh", json={"refresh_token": new["refresh_token"]})
    assert slug(r) == "revoked"
    with db.read() as s:
        device = s.scalars(sqlalchemy.select(Device)).one()
    assert device.revoked_reason == "token-reused"


def test_unknown_and_expired_tokens_are_401(api: Api, db: Database) -> None:
    ann = api.account()
    for header in ["Bearer nonsense", "Basic abc", "", "Bearer "]:
        r = api.client.get("/v1/me", headers={"Authorization": header} if header else {})
        assert r.status_code == 401 and slug(r) == "unauthorized", header
    past = datetime.now(UTC) - timedelta(seconds=1)
    with db.write() as s:
        s.execute(sqlalchemy.update(AccessToken).values(expires_at=past))
        s.execute(sqlalchemy.update(RefreshToken).values(expires_at=past))
    r = api.get("/v1/me", ann)
    assert r.status_code == 401 and slug(r) == "unauthorized" and "expired" in r.json()["detail"]
    r = api.client.post(
        "/v1/sessions/refresh", json={"refresh_token": ann.session["refresh_token"]}
    )
    assert r.status_code == 401 and slug(r) == "unauthorized"
    # An expired refresh token is not "rotated": presenting it again revokes nothing.
    r = api.client.post(
        "/v1/sessions/refresh", json={"refresh_token": ann.session["refresh_token"]}
    )
    assert slug(r) == "unauthorized"
    with db.read() as s:
        assert s.scalars(sqlalchemy.select(Device.revoked_at)).one() is None


def test_a_disabled_account_is_403_on_sign_in_refresh_and_requests(api: Api, db: Database) -> None:
    ann = api.account()
    with db.write() as s:
        s.execute(sqlalchemy.update(User).values(disabled=True))
    for r in (
        api.get("/v1/me", ann),
        api.sign_in(ann.email),
        api.client.post(
            "/v1/sessions/refresh", json={"refresh_token": ann.session["refresh_token"]}
        ),
    ):
        assert r.status_code == 403 and slug(r) == "disabled"
    # A wrong password on a disabled account says no more than on any other.
    assert slug(api.sign_in(ann.email, password="wrong one!")) == "unauthorized"


def test_a_hash_made_at_an_older_cost_is_upgraded_at_the_next_good_sign_in(
    api: Api, db: Database, settings: Settings
) -> None:
    user = api.sign_up()
    with db.read() as s:
        before = s.scalars(sqlalchemy.select(User.password_hash)).one()
    dearer = PasswordCost(time_cost=2, memory_kib=2048, parallelism=1)
    other = Api(TestClient(create_app(settings.with_(password_cost=dearer), db=db, migrate=False)))
    assert slug(other.sign_in(user["email"], password="wrong password!")) == "unauthorized"
    with db.read() as s:
        assert s.scalars(sqlalchemy.select(User.password_hash)).one() == before
    assert other.sign_in(user["email"]).status_code == 201
    with db.read() as s:
        after = s.scalars(sqlalchemy.select(User.password_hash)).one()
    assert "m=2048,t=2,p=1" in after and "m=2048" not in before
    assert other.sign_in(user["email"]).status_code == 201
