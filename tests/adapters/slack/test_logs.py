"""Slack's secrets are masked in every log record once ``protect`` has run, not before."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from adapters.slack.logs import MASK, TOKEN_SHAPE, protect
from bot.log_masking import SecretMask
from tests.paths import ROOT

SECRET = "s3cr3t-signing-f00"
TOKEN = "xoxb-1111-2222-unregistered"  # never registered: masked by its shape


def test_secrets_and_token_shapes_are_masked_in_messages_and_tracebacks() -> None:
    mask = SecretMask()
    mask.add("s3cr3t-signing", shape=TOKEN_SHAPE)
    try:
        raise RuntimeError("boom with xoxb-123-456-abcdef and s3cr3t-signing")
    except RuntimeError:
        record = logging.LogRecord(
            "fixbot.slack",
            logging.ERROR,
            __file__,
            1,
            "token %s",
            ("xapp-1-A1-2-ff",),
            exc_info=sys.exc_info(),
        )
    assert mask.filter(record)
    text = logging.Formatter().format(record)
    assert "xoxb-" not in text and "xapp-" not in text and "s3cr3t" not in text
    assert text.startswith(f"token {MASK}") and f"boom with {MASK} and {MASK}" in text


def test_every_logger_is_masked_not_only_the_adapters(caplog: pytest.LogCaptureFixture) -> None:
    protect(SECRET, None, "")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("slack_sdk.web.async_base_client").debug("headers %s", {"x": SECRET})
    logging.getLogger("aiohttp.client").warning(f"POST failed for {TOKEN}")
    try:
        raise ConnectionError(f"refused with {SECRET}")
    except ConnectionError:
        logging.getLogger("anything").exception("request failed")
    assert SECRET not in caplog.text and TOKEN not in caplog.text
    assert caplog.text.count(MASK) == 3


def test_protect_installs_once() -> None:
    first = protect("one-secret-value")
    factory = logging.getLogRecordFactory()
    assert protect("another-secret-value") is first
    assert logging.getLogRecordFactory() is factory
    assert {"one-secret-value", "another-secret-value"} <= first.secrets


def test_importing_does_nothing_to_logging() -> None:
    code = (
        "import logging; before = logging.getLogRecordFactory(); "
        "import adapters.slack.logs, adapters.slack.app; "
        "assert logging.getLogRecordFactory() is before; "
        "assert not logging.getLogger('fixbot.slack.bolt').filters"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
