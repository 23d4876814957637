"""The terminal chat (``fixbot chat``): numbered buttons, or JSON lines for scripts.

Entry point: ``adapters.console.chat.ConsoleChat`` and ``JsonlChat`` (``fixbot chat``).
"""
