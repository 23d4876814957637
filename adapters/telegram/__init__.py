"""Telegram: python-telegram-bot by long polling or a webhook, translating to and
from the core.

Entry point: ``adapters.telegram.app.serve`` (``fixbot serve telegram``).
"""
