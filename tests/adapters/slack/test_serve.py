"""fixbot on Slack as served: Socket Mode, one-line start-up errors, and the app manifest
the README shows."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import yaml

from adapters.cli import main as cli
from adapters.slack.app import build_bot, socket_mode
from tests.adapters.slack.conftest import (
    APP_TOKEN,
    NORA,
    NORA_DM,
    SECRET,
    TOKEN,
    ObservedService,
    block_actions,
    dm,
    drain_pending,
    event_body,
    messages_for,
    slack_settings,
)
from tests.adapters.slack.fake_server import FakeSlack
from tests.paths import ROOT

# -- Socket Mode ---------------------------------------------------------------------


async def test_socket_mode_acks_each_envelope_and_answers_through_the_web_api(
    fake: FakeSlack, core: ObservedService
) -> None:
    bot = build_bot(
        slack_settings(fake, slack_app_token=APP_TOKEN, slack_signing_secret=None), core
    )
    handler = socket_mode(bot)
    await handler.connect_async()
    try:
        await fake.wait_for(lambda: fake.socket_connections == 1, "the websocket")
        opened = fake.calls_to("apps.connections.open")
        assert [call.token for call in opened] == [APP_TOKEN]

        fake.send_envelope(
            {
                "envelope_id": "env-event-1",
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": event_body(dm("mailen virker ikke", "1700000009.000100"), "Ev0SOCKET"),
            }
        )
        await fake.wait_for(lambda: len(core.outcomes) == 1, "the event handled")
        first = core.outcomes[0]
        await fake.wait_for(lambda: len(fake.posts()) == messages_for(first), "the answer")
        assert any(ack.get("envelope_id") == "env-event-1" for ack in fake.acks)

        # Press a button on the last message fixbot posted.
        last = list(fake.posted_messages(NORA_DM))[-1]
        press = block_actions(last, NORA_DM, NORA, lambda value: True)
        fake.send_envelope(
            {
                "envelope_id": "env-action-1",
                "type": "interactive",
                "accepts_response_payload": False,
                "payload": press,
            }
        )
        await fake.wait_for(
            lambda: any(ack.get("envelope_id") == "env-action-1" for ack in fake.acks),
            "the action's ack",
        )
        await fake.wait_for(lambda: len(core.outcomes) == 2, "the press handled")
        total = messages_for(first) + messages_for(core.outcomes[1])
        await fake.wait_for(lambda: len(fake.posts()) == total, "the answer to the press")
        assert core.entered[1].payload == press["actions"][0]["value"]
        assert core.entered[1].event_id == f"{last['ts']}:{press['actions'][0]['action_ts']}"
        update = fake.calls_to("chat.update")
        assert len(update) == 1 and update[0].args["ts"] == last["ts"]
        assert not [b for b in update[0].args["blocks"] if b["type"] == "actions"]
    finally:
        await handler.close_async()
        await drain_pending()
        await bot.aclose()
        await drain_pending()


# -- start-up: one line for what is wrong -------------------------------------------------


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_slack(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database_url: str,
    api_url: str,
    *,
    app_token: str | None = None,
) -> int:
    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("FIXBOT_SLACK_API_URL", api_url)
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    if app_token:
        monkeypatch.setenv("SLACK_APP_TOKEN", app_token)
    else:
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    return cli.main(["serve", "slack", "--port", "0"])


def one_line_without_secrets(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("fixbot: "), err
    assert TOKEN not in err and SECRET not in err and APP_TOKEN not in err
    return err


def test_an_unreachable_web_api_is_one_line_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}/api/"
    assert serve_slack(monkeypatch, tmp_path, database_url, api_url) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert f"cannot reach the Slack Web API at {api_url}" in err
    assert "FIXBOT_SLACK_API_URL" in err


def test_a_rejected_bot_token_is_one_line_at_start_up(
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    fake.fail_next("auth.test", status=200, retry_after=None, error="invalid_auth")
    assert serve_slack(monkeypatch, tmp_path, database_url, fake.api_url) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert "Slack rejected SLACK_BOT_TOKEN (invalid_auth)" in err


def test_a_rejected_app_token_is_one_line_at_start_up(
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    fake.fail_next("apps.connections.open", status=200, retry_after=None, error="invalid_auth")
    assert serve_slack(monkeypatch, tmp_path, database_url, fake.api_url, app_token=APP_TOKEN) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert "Slack rejected SLACK_APP_TOKEN (invalid_auth)" in err
    assert fake.socket_connections == 0


# -- the app manifest ------------------------------------------------------------------


def test_the_manifest_asks_for_what_the_adapter_uses_and_the_readme_shows_it() -> None:
    root = ROOT
    manifest_text = (root / "docs" / "slack-app-manifest.yaml").read_text()
    manifest = yaml.safe_load(manifest_text)
    readme = (root / "README.md").read_text()
    shown = re.search(r"## Slack\n.*?```yaml\n(.*?)```", readme, re.DOTALL)
    assert shown is not None and yaml.safe_load(shown.group(1)) == manifest
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert {"message.im", "app_mention", "message.channels", "app_home_opened"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "im:history",
        "app_mentions:read",
        "channels:history",
        "groups:history",
        "users:read",
        "commands",
        "im:write",
    } == scopes
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/fixbot"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
