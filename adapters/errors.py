"""The one error every adapter may raise at start-up: a setting, token or service is wrong.

Its message is one line that says what is wrong and how to fix it, with no
secret in it; the command line prints it instead of a traceback. It lives
here, not in ``adapters.cli``, so no adapter imports the command line.
"""


class StartupError(Exception):
    """An adapter cannot start for a reason the person running it can fix."""
