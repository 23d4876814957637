"""Slack: slack-bolt over Socket Mode or HTTP, translating to and from the core.

Entry point: ``adapters.slack.app.serve`` (``fixbot serve slack``).
"""
