"""``studio login/logout/account/catalog update`` against a real server: in this process (the
in-memory keyring) and as child processes (a file keyring, then none at all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import main
from studio.sync.client import PlatformClient
from studio.sync.tokens import TokenStore
from studio.system import settings
from studio.system.paths import resolve_paths
from tests.platform_server import PASSWORD, Server, free_port
from tests.sync.test_keyrings import MemoryKeyring

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STUDIO_PASSWORD", PASSWORD)
    return PASSWORD


def test_login_account_update_and_logout(
    capsys: pytest.CaptureFixture[str], platform: Server, password: str, studio_home: Path
) -> None:
    email = platform.sign_up()
    code, out, err = run(capsys, "login", "--server", platform.url, "--email", email)
    assert code == 0, err
    assert f"Signed in to {platform.url}" in out and email in out

    code, out, err = run(capsys, "account", "--json")
    assert code == 0, err
    account = json.loads(out)
    assert account["user"]["email"] == email and account["server"] == platform.url
    assert [d["current"] for d in account["devices"]] == [True]

    code, out, err = run(capsys, "catalog", "update", "--json")
    assert code == 0, err
    applied = json.loads(out)
    assert {"upserts", "unavailable", "cursor"} <= set(applied)
    assert (applied["upserts"], applied["unavailable"]) == (65, 0) and applied["cursor"] > 0

    code, out, _ = run(capsys, "search", "shirt", "--sort", "commission", "--json")
    assert code == 0 and json.loads(out)["total"] > 0

    code, out, err = run(capsys, "logout")
    assert code == 0 and "local work is kept" in out
    code, out, err = run(capsys, "account")
    assert code == 1 and err.startswith("studio: error: not signed in") and not out
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "catalog", "stats", "--json")
    assert code == 0 and "Lumen" in out  # the catalog stays after a sign-out
    assert settings.load(resolve_paths(studio_home).config).email == email


@pytest.mark.parametrize(
    ("server", "password_given", "expected"),
    [
        ("platform", "not the password", "studio: error: wrong email or password"),
        ("closed", PASSWORD, "the server cannot be reached"),
        ("http://example.com", PASSWORD, "plain http is only allowed to this machine"),
    ],
)
def test_a_failed_login_is_one_line_and_exit_status_1(
    capsys: pytest.CaptureFixture[str],
    platform: Server,
    monkeypatch: pytest.MonkeyPatch,
    server: str,
    password_given: str,
    expected: str,
) -> None:
    monkeypatch.setenv("STUDIO_PASSWORD", password_given)
    url = {"platform": platform.url, "closed": f"http://127.0.0.1:{free_port()}"}.get(
        server, server
    )
    code, out, err = run(capsys, "login", "--server", url, "--email", platform.sign_up())
    assert code == 1 and not out
    assert len(err.strip().splitlines()) == 1 and expected in err
    assert "Traceback" not in err


def test_a_revoked_device_is_told_to_sign_in_again(
    capsys: pytest.CaptureFixture[str], platform: Server, password: str, studio_home: Path
) -> None:
    email = platform.sign_up()
    assert run(capsys, "login", "--server", platform.url, "--email", email)[0] == 0
    device_id = settings.load(resolve_paths(studio_home).config).device_id
    other = PlatformClient(platform.url, TokenStore(backend=MemoryKeyring()))
    other.sign_in(email, PASSWORD, "phone")
    other.revoke_device(str(device_id))
    code, out, err = run(capsys, "catalog", "update")
    assert code == 1 and not out
    assert err.strip().endswith("sign in again") and len(err.strip().splitlines()) == 1


def test_as_processes_with_a_keyring_and_without_one(platform: Server, tmp_path: Path) -> None:
    email = platform.sign_up()
    env = {
        **os.environ,
        "STUDIO_HOME": str(tmp_path / "home"),
        "STUDIO_PASSWORD": PASSWORD,
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "tests.sync.test_keyrings.FileKeyring",
        "VITRINE_TEST_KEYRING": str(tmp_path / "ring.json"),
    }

    def studio(*argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "studio.cli", *argv],
            env={**env, **extra},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    login = studio("login", "--server", platform.url, "--email", email)
    assert login.returncode == 0, login.stderr
    assert PASSWORD not in (tmp_path / "ring.json").read_text()
    account = studio("account", "--json")  # another process: the keyring kept the tokens
    assert account.returncode == 0 and json.loads(account.stdout)["user"]["email"] == email

    # No usable keyring (a headless box): said once, the sign-in works for that process.
    headless = studio(
        "login",
        "--server",
        platform.url,
        "--email",
        email,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    assert headless.returncode == 0, headless.stderr
    assert headless.stderr.count("no usable system keyring") == 1
    nothing = studio("account", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert nothing.returncode == 1
    assert "without a system keyring a sign-in lasts only" in nothing.stderr

    no_password = studio("login", "--email", email, STUDIO_PASSWORD="")
    assert no_password.returncode == 1
    assert "no password: set STUDIO_PASSWORD" in no_password.stderr
