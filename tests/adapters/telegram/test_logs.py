"""The bot token is masked in every log record: message, arguments and tracebacks."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from adapters.telegram.logs import MASK, protect
from tests.paths import ROOT

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
OTHER = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"  # never registered: masked by shape


def test_token_masked_in_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protect(TOKEN)
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("anything.at.all")
    log.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    log.debug(f"GET https://api.telegram.org/bot{OTHER}/getUpdates")
    try:
        raise ConnectionError(f"https://api.telegram.org/bot{TOKEN}/sendMessage timed out")
    except ConnectionError:
        log.exception("request failed")
    assert TOKEN not in caplog.text and OTHER not in caplog.text
    assert caplog.text.count(MASK) >= 3
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def test_protect_installs_once() -> None:
    first = protect(TOKEN)
    factory = logging.getLogRecordFactory()
    assert protect(TOKEN) is first
    assert logging.getLogRecordFactory() is factory


def test_importing_does_nothing_to_logging() -> None:
    code = (
        "import logging; before = logging.getLogRecordFactory(); "
        "import adapters.telegram.logs, adapters.telegram.app; "
        "assert logging.getLogRecordFactory() is before; "
        "assert logging.getLogger('httpx').level == logging.NOTSET"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
