"""Who is writing on Slack: each user's locale (as fixbot's language hint) and name, cached."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

PEOPLE_CACHE_SIZE = 4096
NORWEGIAN_LOCALES = ("nb", "nn", "no")

log = logging.getLogger("fixbot.slack")


@dataclass(frozen=True, slots=True)
class Person:
    """What fixbot knows of a Slack user: the language their locale suggests and their name."""

    language: str | None = None
    name: str | None = None


def language_from_locale(locale: str | None) -> str | None:
    """A Slack locale (``nb-NO``, ``en-US``) as fixbot's language hint: nb/nn/no -> nb."""
    if not locale:
        return None
    prefix = locale.replace("_", "-").split("-")[0].lower()
    if prefix in NORWEGIAN_LOCALES:
        return "nb"
    if prefix == "en":
        return "en"
    return None


class People:
    """users.info answers (locale and name), cached in-process with a bound (least recently used).

    Concurrent look-ups of one person share one call (single flight): a burst of
    events from someone new costs one users.info, not one per event. A failed
    lookup is not cached, so the next message tries again.
    """

    def __init__(self, client: AsyncWebClient, size: int = PEOPLE_CACHE_SIZE) -> None:
        self._client = client
        self._size = size
        self._cache: OrderedDict[str, Person] = OrderedDict()
        self._pending: dict[str, asyncio.Future[Person]] = {}

    async def get(self, user_id: str) -> Person:
        cached = self._cache.get(user_id)
        if cached is not None:
            self._cache.move_to_end(user_id)
            return cached
        pending = self._pending.get(user_id)
        if pending is not None:
            # shield: one waiter cancelled must not cancel the look-up the others share
            return await asyncio.shield(pending)
        lookup = asyncio.ensure_future(self._look_up(user_id))
        self._pending[user_id] = lookup
        lookup.add_done_callback(lambda _: self._pending.pop(user_id, None))
        return await asyncio.shield(lookup)

    async def _look_up(self, user_id: str) -> Person:
        try:
            response = await self._client.users_info(user=user_id, include_locale=True)
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
            return Person()
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        person = Person(
            language=language_from_locale(user.get("locale")),
            name=profile.get("display_name") or user.get("real_name") or user.get("name"),
        )
        self._cache[user_id] = person
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return person
