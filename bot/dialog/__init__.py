"""The conversation, pure: state, the moves of a fix, the wording, the handoff.

No I/O and no clock. The service loads a ``DialogState``, calls
``bot.dialog.machine.advance`` and stores the ``Transition`` it returns.
"""
