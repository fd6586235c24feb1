"""A shared location sets the time zone after a Yes: by the JSON-lines transport (our addition
to the contract: `"location": {"latitude": .., "longitude": ..}`) and through the Telegram
transport (a location message routed to `TelegramBot.on_location`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Chat, Location, Message, Update, User
from telegram.ext import ApplicationBuilder

from bot.jsonl import Clock, LineError, handle_line, parse_line
from bot.settings import Settings
from bot.telegram import TelegramBot
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Reply

NOW = "2026-05-04T08:00:00+00:00"
BERLIN = {"latitude": 52.52, "longitude": 13.405}


async def send(engine: Engine, clock: Clock, **line: Any) -> dict[str, Any]:
    return await handle_line(engine, clock, json.dumps({"user_id": 5, **line}))


async def zone_of_user(engine: Engine, user_id: int = 5) -> str | None:
    async with engine.store.transaction(datetime.now(UTC)) as tx:
        user = await tx.get_user(user_id)
    return None if user is None else user.timezone


# --- by JSON lines ----------------------------------------------------------------------------
async def test_a_location_offers_its_zone_and_a_yes_sets_it(engine: Engine) -> None:
    clock = Clock()
    out = await send(engine, clock, location=BERLIN, now=NOW)
    [offer] = out["replies"]
    assert "Europe/Berlin" in offer["text"] and "10:00" in offer["text"]
    datas = [b["data"] for row in offer["buttons"] for b in row]
    assert datas == ["conv:zone:Europe/Berlin", "conv:zone_no"]
    assert await zone_of_user(engine) in (None, "UTC")  # nothing set before the Yes
    [done] = (await send(engine, clock, callback="conv:zone:Europe/Berlin"))["replies"]
    assert "Europe/Berlin" in done["text"]
    assert await zone_of_user(engine) == "Europe/Berlin"


async def test_a_typed_no_keeps_the_zone(engine: Engine) -> None:
    clock = Clock()
    await send(engine, clock, location={"latitude": -33.87, "longitude": 151.21}, now=NOW)
    [kept] = (await send(engine, clock, text="no thanks"))["replies"]
    assert "UTC" in kept["text"]
    assert await zone_of_user(engine) in (None, "UTC")


async def test_the_same_zone_again_is_said_not_offered(engine: Engine) -> None:
    clock = Clock()
    await send(engine, clock, text="/timezone Europe/Berlin", now=NOW)
    [same] = (await send(engine, clock, location=BERLIN))["replies"]
    assert "already" in same["text"] and "buttons" not in same


@pytest.mark.parametrize(
    "point",
    [
        {"latitude": 0.0, "longitude": -30.0},  # the open Atlantic
        {"latitude": 91.0, "longitude": 0.0},
        {"latitude": 10.0, "longitude": 181.0},
    ],
)
async def test_sea_and_impossible_points_get_a_friendly_answer(
    engine: Engine, point: dict[str, float]
) -> None:
    [reply] = (await send(engine, Clock(), location=point, now=NOW))["replies"]
    assert "/timezone" in reply["text"] and "buttons" not in reply
    assert await zone_of_user(engine) in (None, "UTC")


@pytest.mark.parametrize(
    "value",
    ["Berlin", [52.5, 13.4], {"latitude": "52.5", "longitude": 13.4}, {"latitude": True}, {}],
)
def test_a_location_that_is_not_two_numbers_is_refused(value: Any) -> None:
    with pytest.raises(LineError, match="location"):
        parse_line(json.dumps({"user_id": 1, "location": value}))


async def test_in_a_check_the_offer_comes_and_the_check_goes_on(engine: Engine) -> None:
    clock = Clock()
    await send(engine, clock, text="/check", now=NOW)
    [offer] = (await send(engine, clock, location=BERLIN))["replies"]
    assert "Europe/Berlin" in offer["text"]
    replies = (await send(engine, clock, text="yes"))["replies"]
    assert "Europe/Berlin" in replies[0]["text"]
    assert any(r.get("asks") for r in replies)  # the check's question again
    assert await zone_of_user(engine) == "Europe/Berlin"


# --- through the Telegram transport -----------------------------------------------------------
class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[Reply] = []

    async def send(self, reply: Reply) -> bool:
        self.sent.append(reply)
        return True


def location_update(update_id: int, latitude: float, longitude: float) -> Update:
    user = User(5, "Ana", is_bot=False)
    message = Message(
        update_id,
        datetime.now(UTC),
        Chat(5, "private"),
        from_user=user,
        location=Location(longitude=longitude, latitude=latitude),
    )
    return Update(update_id, message=message)


def text_update(update_id: int, text: str) -> Update:
    user = User(5, "Ana", is_bot=False)
    message = Message(update_id, datetime.now(UTC), Chat(5, "private"), from_user=user, text=text)
    return Update(update_id, message=message)


def handler_for(app: Any, update: Update) -> Any:
    for group in sorted(app.handlers):
        for handler in app.handlers[group]:
            if handler.check_update(update):
                return handler.callback
    return None


def test_a_location_message_is_routed_to_the_location_handler(knowledge: Knowledge) -> None:
    bot = TelegramBot(Settings(), ":memory:", knowledge)
    app = ApplicationBuilder().token("123:TEST").build()
    bot.add_handlers(app)
    update = location_update(1, 52.52, 13.405)
    assert handler_for(app, update) == bot.on_location
    # a live location's later positions come as edits: not answered
    edited = Update(2, edited_message=update.message)
    assert handler_for(app, edited) is None


async def test_telegram_location_then_yes_sets_the_zone(
    knowledge: Knowledge, engine: Engine
) -> None:
    moment = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    bot = TelegramBot(Settings(), ":memory:", knowledge, clock=lambda: moment)
    bot.engine = engine
    sender = RecordingSender()
    bot.sender = sender  # type: ignore[assignment]
    await bot.on_location(location_update(1, 40.4168, -3.7038), None)  # type: ignore[arg-type]
    [offer] = sender.sent
    assert "Europe/Madrid" in offer.text and "10:00" in offer.text
    assert offer.buttons[0][0].data == "conv:zone:Europe/Madrid"
    await bot.on_text(text_update(2, "yes"), None)  # type: ignore[arg-type]
    assert "Europe/Madrid" in sender.sent[-1].text
    assert await zone_of_user(engine) == "Europe/Madrid"
