"""``fixbot review`` and ``fixbot staff`` through the real command line."""

from __future__ import annotations

import io

import pytest

from adapters.cli.main import main


@pytest.fixture
def env(monkeypatch, database_url):
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    monkeypatch.delenv("FIXBOT_REVIEW_SECRET_KEY", raising=False)
    return monkeypatch


def test_review_without_a_secret_key_and_nowhere_to_keep_one_is_a_one_line_error(
    env, capsys, tmp_path
):
    blocker = tmp_path / "file"
    blocker.write_text("")
    env.setenv("XDG_DATA_HOME", str(blocker))  # a file where a directory must go
    assert main(["review"]) == 2
    err = capsys.readouterr().err.strip()
    assert "FIXBOT_REVIEW_SECRET_KEY" in err and "\n" not in err


def test_review_with_a_short_secret_key_says_so(env, capsys, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not serve"))
    env.setenv("FIXBOT_REVIEW_SECRET_KEY", "short")
    assert main(["review"]) == 2
    assert "FIXBOT_REVIEW_SECRET_KEY must be at least" in capsys.readouterr().err


def test_review_serves_the_app_on_the_given_address(env, monkeypatch):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    env.setenv("FIXBOT_REVIEW_SECRET_KEY", "a-long-enough-secret-key")
    assert main(["review", "--host", "127.0.0.2", "--port", "9123"]) == 0
    assert (served["host"], served["port"]) == ("127.0.0.2", 9123)


def test_staff_add_list_remove(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["staff", "add", "kari", "--password-stdin"]) == 0
    assert main(["staff", "list"]) == 0
    assert "kari" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["staff", "add", "kari", "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["staff", "remove", "kari"]) == 0
    assert main(["staff", "remove", "kari"]) == 2
    assert "no staff account named 'kari'" in capsys.readouterr().err


def test_staff_add_asks_twice_and_refuses_a_mismatch(env, capsys, monkeypatch):
    answers = iter(["first-password", "other-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["staff", "add", "ola"]) == 2
    assert capsys.readouterr().err.strip() == "fixbot: the passwords do not match"


def test_staff_add_refuses_a_taken_or_bad_name_before_asking_for_a_password(
    env, capsys, monkeypatch
):
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "long-pass-1")
    assert main(["staff", "add", "kari"]) == 0
    asked.clear()
    assert main(["staff", "add", "kari"]) == 2
    assert main(["staff", "add", "bad\tname"]) == 2
    assert asked == []
    assert "already exists" in capsys.readouterr().err


def test_staff_add_checks_the_password_policy_before_asking_again(env, capsys, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "short")
    assert main(["staff", "add", "ola"]) == 2
    assert len(asked) == 1
    assert "at least 8 characters" in capsys.readouterr().err


def test_staff_list_with_no_accounts_says_so(env, capsys):
    assert main(["staff", "list"]) == 0
    assert "no staff accounts yet" in capsys.readouterr().out
