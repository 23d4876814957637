"""``fixbot serve telegram|slack``: run fixbot on a chat platform."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.service import Service


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="platform", metavar="PLATFORM", required=True)
    telegram = sub.add_parser(
        "telegram",
        help="Telegram: long polling, or a webhook with --webhook-url",
        description="Serve fixbot on Telegram. Needs TELEGRAM_BOT_TOKEN; webhook mode also "
        "needs FIXBOT_TELEGRAM_WEBHOOK_SECRET.",
    )
    telegram.add_argument(
        "--webhook-url", help="public HTTPS URL Telegram posts updates to (webhook mode)"
    )
    telegram.add_argument("--listen", default="127.0.0.1", help="address to bind in webhook mode")
    telegram.add_argument("--port", type=int, default=8443, help="port to bind in webhook mode")
    slack = sub.add_parser(
        "slack",
        help="Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP (Events API)",
        description="Serve fixbot on Slack. Needs SLACK_BOT_TOKEN; HTTP mode also needs "
        "SLACK_SIGNING_SECRET; Socket Mode needs SLACK_APP_TOKEN.",
    )
    slack.add_argument("--host", default="127.0.0.1", help="address to bind in HTTP mode")
    slack.add_argument("--port", type=int, default=3000, help="port to bind in HTTP mode")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so one platform's SDK is loaded only when it is served.
    from bot.service import build_service

    if args.platform == "telegram":
        from adapters.telegram import app as telegram

        settings.require("telegram_bot_token")
        if args.webhook_url:
            settings.require("telegram_webhook_secret")
        return telegram.serve(args, settings, _warmed(build_service(settings)))
    from adapters.slack import app as slack

    settings.require("slack_bot_token")
    if not settings.slack_app_token:
        settings.require("slack_signing_secret")
    return slack.serve(args, settings, _warmed(build_service(settings)))


def _warmed(service: Service) -> Service:
    """The service with its understanding loaded, so the first message is not the slow one."""
    from adapters.memory import give_back_freed_memory

    service.warm()
    # Decompressing the word lists and models leaves freed pages (about 13 MiB).
    give_back_freed_memory()
    return service
