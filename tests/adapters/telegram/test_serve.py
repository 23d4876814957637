"""fixbot on Telegram as served: the webhook's secret check and ``fixbot serve telegram``
from the command line until Ctrl-C, with one-line start-up errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text as sql

from adapters.telegram.app import webhook_options
from adapters.telegram.webhook import start_webhook
from bot.store.database import create_engine_for
from tests.adapters.telegram.conftest import (
    SECRET,
    running,
)
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import DEADLINE, FakeBotAPI
from tests.paths import ROOT

# --- webhook -----------------------------------------------------------------------------


def message_rows(database_url: str) -> int:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sql("SELECT count(*) FROM messages")).scalar_one())
    finally:
        engine.dispose()


async def test_webhook_checks_the_secret_before_the_core(
    fake: FakeBotAPI, service: Any, database_url: str
) -> None:
    options = webhook_options(
        "https://bot.example.org/telegram/hook", SECRET, listen="127.0.0.1", port=8443
    )
    assert options["url_path"] == "telegram/hook"
    options["port"] = 0
    anna = Person(fake, 7009, "Anna", "nb")
    async with running(fake, service, polling=False) as app:
        runner, port = await start_webhook(app, options)
        url = f"http://127.0.0.1:{port}/telegram/hook"
        [registered] = fake.calls_of("setWebhook")
        assert registered["url"] == "https://bot.example.org/telegram/hook"
        assert registered["secret_token"] == SECRET
        async with httpx.AsyncClient(timeout=DEADLINE) as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                response = await client.post(url, json=anna.text_update("/start"), headers=headers)
                assert response.status_code == 403
            assert message_rows(database_url) == 0
            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            update = anna.text_update("/start")
            for _ in range(2):  # Telegram redelivers when it misses our 200
                response = await client.post(url, json=update, headers=good)
                assert response.status_code == 200
            response = await client.post(url, json=anna.text_update("/help"), headers=good)
            assert response.status_code == 200
            await fake.wait_sent(anna.chat, 2, "two greetings by webhook")
        assert fake.sent_to(anna.chat)[0].text.startswith("Hei!")
        await runner.cleanup()
        assert len(fake.sent_to(anna.chat)) == 2  # the redelivered /start was answered once
        assert message_rows(database_url) > 0


# --- the command line: ``fixbot serve telegram`` until Ctrl-C ---------------------------


def test_fixbot_serve_telegram_polls_until_interrupted(
    fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "FIXBOT_TELEGRAM_BASE_URL": fake.base_url,
        "FIXBOT_DATABASE_URL": database_url,
        "FIXBOT_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli.main", "serve", "telegram"],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            ola = Person(fake, 7016, "Ola", "nb")
            ola.says("/start")
            deadline = time.monotonic() + 30
            while not fake.sent_to(ola.chat):
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                fake.wait_for_call(0.1)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=DEADLINE) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    output = log_path.read_text()
    assert fake.token not in output
    assert fake.sent_to(ola.chat)[0].text.startswith("Hei!")


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_telegram(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, token: str, base_url: str
) -> int:
    from adapters.cli import main as cli

    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("FIXBOT_TELEGRAM_BASE_URL", base_url)
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    return cli.main(["serve", "telegram"])


def test_an_unreachable_bot_api_is_one_line_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    assert serve_telegram(monkeypatch, tmp_path, database_url, token, base_url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fixbot: cannot reach the Telegram Bot API")
    assert base_url in err and "FIXBOT_TELEGRAM_BASE_URL" in err
    assert token not in err and token.split(":")[1] not in err


def test_a_rejected_token_is_one_line_at_start_up(
    fake: FakeBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    wrong = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    assert serve_telegram(monkeypatch, tmp_path, database_url, wrong, fake.base_url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rejected TELEGRAM_BOT_TOKEN" in err
    assert wrong not in err and wrong.split(":")[1] not in err
