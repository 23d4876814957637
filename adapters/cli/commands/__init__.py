"""fixbot subcommands, one module each: ``register(parser)`` and ``run(args, settings)``."""


class CommandError(Exception):
    """A command failed in a way the user can fix; the message is one line."""
