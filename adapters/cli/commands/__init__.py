"""fixbot subcommands, one module each: ``register(parser)`` and ``run(args, settings)``."""

from adapters.errors import StartupError


class CommandError(StartupError):
    """A command failed in a way the user can fix; the message is one line."""
