"""Telegram: python-telegram-bot by long polling or a webhook, translating to and
from the core.

Entry point: ``adapters.telegram.app.app.run_telegram``.
"""
