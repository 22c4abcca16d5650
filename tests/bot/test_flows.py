"""End-to-end flows through the real webhook endpoint, the real handlers and the fake Bot API.

Every test runs on SQLite and on PostgreSQL (the ``database_url`` fixture), and asserts on the
requests the bot really made to the (fake) Bot API.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from helpdesk.handlers.consent_text import version_for
from helpdesk.i18n import gettext_for
from helpdesk.storage.models import ConsentEvent, SupportRequest, TelegramLink
from helpdesk.storage.repositories import links
from tests.bot.conftest import LINKED_USER, NOW, STRANGER, BotHarness, mint_token
from tests.bot.fake_api import Call, callback, message

INVOICE_BUTTON = "a:i:::"  # the main menu's "Latest invoice" button (ActionCallback(c="i"))
INVOICE_MENU_BUTTON = "a:i:::1"  # the same on a menu opened by /menu (a menu it opens may replace it)


def translator_for(language: str):  # type: ignore[no-untyped-def]
    return gettext_for("helpdesk", language).gettext


def button(call: Call, contains: str) -> str:
    for b in call.buttons():
        if contains in b["text"] or b["callback_data"].startswith(contains):
            return b["callback_data"]
    raise AssertionError(f"no button {contains!r} in {call.buttons()}")


def pdf_bytes(harness: BotHarness, name: str) -> bytes:
    return Path(harness.services.storage.invoice_dir / name).read_bytes()


async def links_of(harness: BotHarness, user_id: int) -> list[TelegramLink]:
    async with harness.services.sessions() as session:
        return list(
            await session.scalars(select(TelegramLink).where(TelegramLink.telegram_user_id == user_id))
        )


async def test_link_with_token_needs_confirmation(harness: BotHarness) -> None:
    token = await mint_token(harness.services, "R-2")
    await harness.send(message(STRANGER, f"/start {token}", language_code="en"))
    [question] = harness.fake.sent_to(STRANGER)
    assert "Anna O." in question.text and "Lāčplēša iela 7-…" in question.text
    confirm = button(question, "Confirm")
    assert token not in confirm and len(confirm.encode()) <= 64  # the token never rides in callback data
    assert await links_of(harness, STRANGER) == []  # nothing bound before the confirmation
    await harness.send(callback(STRANGER, confirm, language_code="en"))
    done = harness.fake.sent_to(STRANGER)[-1]
    assert "linked" in done.text
    [link] = await links_of(harness, STRANGER)
    assert link.resident_id == "R-2" and link.chat_id == STRANGER


async def test_forged_and_reused_tokens_bind_nothing(harness: BotHarness) -> None:
    await harness.send(message(STRANGER, "/start " + "A" * 43, language_code="en"))
    assert "not valid" in harness.fake.sent_to(STRANGER)[-1].text
    await harness.send(message(STRANGER, "/start bad!token", language_code="en"))
    assert "not valid" in harness.fake.sent_to(STRANGER)[-1].text
    token = await mint_token(harness.services, "R-2")
    await harness.send(message(333, f"/start {token}", language_code="en"))
    await harness.send(callback(333, button(harness.fake.sent_to(333)[-1], "Confirm"), language_code="en"))
    assert len(await links_of(harness, 333)) == 1
    await harness.send(message(STRANGER, f"/start {token}", language_code="en"))
    assert "already been used" in harness.fake.sent_to(STRANGER)[-1].text
    assert await links_of(harness, STRANGER) == []


async def test_token_in_a_group_is_refused(harness: BotHarness) -> None:
    token = await mint_token(harness.services, "R-2")
    await harness.send(
        message(STRANGER, f"/start {token}", chat_id=-100, chat_type="group", language_code="en")
    )
    [refusal] = harness.fake.sent_to(-100)
    assert refusal.text == translator_for("en")(
        "I only talk in private chats, so that your personal data stays private. Please write to me directly."
    )
    assert await links_of(harness, STRANGER) == []


async def test_plain_start_explains_the_portal_link(harness: BotHarness) -> None:
    await harness.send(message(STRANGER, "/start", language_code="en"))
    [welcome] = harness.fake.sent_to(STRANGER)
    assert "Connect Telegram" in welcome.text
    callbacks = [b["callback_data"] for b in welcome.buttons()]
    assert INVOICE_BUTTON in callbacks and len(callbacks) == 6


async def test_invoice_pdf_in_two_taps_then_from_cache(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/menu"))
    menu = harness.fake.sent_to(LINKED_USER)[-1]
    await harness.send(callback(LINKED_USER, button(menu, INVOICE_MENU_BUTTON)))
    [document] = harness.fake.of("sendDocument", LINKED_USER)
    filename, content = document.files[document.data["document"].removeprefix("attach://")]
    assert filename == "INV-2025-12-R-1.pdf"
    assert content == pdf_bytes(harness, "INV-2025-12-R-1.pdf")
    assert "2025. gada decembri" in document.data["caption"] and "54,20" in document.data["caption"]
    [action] = harness.fake.of("sendChatAction", LINKED_USER)
    assert action.data["action"] == "upload_document"
    # The second time the same bytes go by file_id, without uploading again.
    await harness.send(message(LINKED_USER, "/invoice"))
    second = harness.fake.of("sendDocument", LINKED_USER)[-1]
    assert second.files == {} and second.data["document"].startswith("FILE-")


async def test_earlier_periods_by_buttons(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/invoice"))
    # One message: the PDF captioned with the reply, the buttons under it.
    [reply] = harness.fake.sent_to(LINKED_USER)
    assert reply.method == "sendDocument" and "Lūdzu, Jūsu rēķins." in reply.text
    await harness.send(callback(LINKED_USER, button(reply, "a:il:::")))
    listing = harness.fake.of("sendMessage", LINKED_USER)[-1]
    periods = [b["text"] for b in listing.buttons()]
    assert any("2025-11" in p for p in periods) and any("2025-12" in p for p in periods)
    await harness.send(callback(LINKED_USER, button(listing, "2025-11")))
    document = harness.fake.of("sendDocument", LINKED_USER)[-1]
    assert next(iter(document.files.values()))[1] == pdf_bytes(harness, "INV-2025-11-R-1.pdf")


async def test_another_residents_invoice_is_impossible(harness: BotHarness) -> None:
    # A hand-made button naming R-2's invoice, pressed by R-1's linked user.
    await harness.send(callback(LINKED_USER, "a:ip:period:INV-2025-12-R-2:"))
    await harness.send(callback(LINKED_USER, "a:ip:period:2025-10:"))
    # An unlinked person asking for "the latest invoice" gets the linking explanation.
    await harness.send(message(STRANGER, "/invoice", language_code="en"))
    assert harness.fake.of("sendDocument") == []
    assert "link this chat" in harness.fake.sent_to(STRANGER)[-1].text


async def test_free_text_intent_sends_the_invoice(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "atsūtiet rēķinu"))
    [document] = harness.fake.of("sendDocument", LINKED_USER)
    assert next(iter(document.files.values()))[1] == pdf_bytes(harness, "INV-2025-12-R-1.pdf")


async def test_withdraw_news_consent_in_one_tap(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/news"))
    status = harness.fake.sent_to(LINKED_USER)[-1]
    subscribe = button(status, "a:cg:::")
    await harness.send(callback(LINKED_USER, subscribe))
    question = harness.fake.sent_to(LINKED_USER)[-1]
    yes = button(question, translator_for("lv")("Yes, send me news"))
    assert yes.startswith("c:")  # the address it names stays with the handlers, not in the button
    await harness.send(callback(LINKED_USER, yes))
    await harness.send(message(LINKED_USER, "/news"))
    status = harness.fake.sent_to(LINKED_USER)[-1]
    await harness.send(callback(LINKED_USER, button(status, "a:cw:::")))
    async with harness.services.sessions() as session:
        rows = list(await session.scalars(select(ConsentEvent).order_by(ConsentEvent.id)))
    assert [(r.resident_id, r.granted, r.channel) for r in rows] == [
        ("R-1", True, "telegram"),
        ("R-1", False, "telegram"),
    ]
    assert all(r.text_version == version_for("lv") and r.evidence for r in rows)  # the wording shown
    assert rows[0].email == "janis@example.lv"  # given with the address on record, after a confirmation


async def test_question_answered_clarified_and_escalated(harness: BotHarness) -> None:
    await harness.send(message(STRANGER, "kā pieslēgties"))
    assert "eID" in harness.fake.sent_to(STRANGER)[-1].text
    await harness.send(message(STRANGER, "parole"))
    choices = [b["callback_data"] for b in harness.fake.sent_to(STRANGER)[-1].buttons()]
    assert "a:f:entry:password-reset:" in choices
    await harness.send(callback(STRANGER, "a:f:entry:password-reset:"))
    assert "Aizmirsu paroli" in harness.fake.sent_to(STRANGER)[-1].text
    await harness.send(message(STRANGER, "Kāpēc mans skaitītājs rāda nulli?"))
    async with harness.services.sessions() as session:
        [item] = list(await session.scalars(select(SupportRequest)))
    assert item.kind == "question" and item.contact == str(STRANGER) and item.channel == "telegram"


async def test_talk_to_a_person_creates_a_request(harness: BotHarness) -> None:
    await harness.send(callback(LINKED_USER, "a:p:::"))
    async with harness.services.sessions() as session:
        [item] = list(await session.scalars(select(SupportRequest)))
    assert item.resident_id == "R-1" and item.contact == str(LINKED_USER)
    assert harness.fake.sent_to(LINKED_USER)[-1].text


async def test_correction_request_collects_the_text(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/request"))
    offer = harness.fake.sent_to(LINKED_USER)[-1]
    await harness.send(callback(LINKED_USER, button(offer, translator_for("lv")("Correct my data"))))
    await harness.send(message(LINKED_USER, "Mans uzvārds ir Bērziņš, nevis Berzins"))
    async with harness.services.sessions() as session:
        [item] = list(await session.scalars(select(SupportRequest)))
    assert item.kind == "correction" and "Bērziņš" in item.summary


async def test_unlink_asks_first(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/unlink"))
    question = harness.fake.sent_to(LINKED_USER)[-1]
    assert len(await links_of(harness, LINKED_USER)) == 1
    await harness.send(callback(LINKED_USER, button(question, "a:uc:::")))
    assert await links_of(harness, LINKED_USER) == []


async def test_language_choice_is_remembered(harness: BotHarness) -> None:
    await harness.send(message(STRANGER, "/language"))
    await harness.send(callback(STRANGER, button(harness.fake.sent_to(STRANGER)[-1], "Русский")))
    await harness.send(message(STRANGER, "/help", language_code="en"))
    # The choice (Russian) wins over the Telegram app's language (English).
    assert harness.fake.sent_to(STRANGER)[-1].text.startswith("Я могу присылать Ваши счета")


async def test_non_text_inputs_get_specific_answers(harness: BotHarness) -> None:
    _ = translator_for("en")
    photo = {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}
    sticker = {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    }
    voice = {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}}
    document = {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "x.pdf"}}
    location = {"location": {"latitude": 56.95, "longitude": 24.1}}
    for content in (photo, sticker, voice, document, location):
        await harness.send(message(STRANGER, None, language_code="en", **content))
    edited = message(STRANGER, "labots", language_code="en")
    await harness.send({"edited_message": {**edited["message"], "edit_date": 1}})
    texts = [c.text for c in harness.fake.sent_to(STRANGER)]
    assert len(texts) == 6 and len(set(texts)) == 6
    assert "pictures" in texts[0] and "sticker" in texts[1] and "voice" in texts[2]
    assert "files" in texts[3] and "locations" in texts[4] and "changes" in texts[5]
    await harness.send(message(STRANGER, "sveiki", chat_id=-200, chat_type="supergroup", language_code="en"))
    assert "private chats" in harness.fake.sent_to(-200)[-1].text
    async with harness.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SupportRequest)) == 0


async def test_menu_navigation_edits_in_place(harness: BotHarness) -> None:
    await harness.send(callback(STRANGER, "a:rq:::1", language_code="en"))  # a menu's "My data"
    [edit] = harness.fake.of("editMessageText", STRANGER)
    assert "copy of the personal data" in edit.text
    assert [b["callback_data"] for b in edit.buttons()] == [
        "a:rq:kind:access:1",
        "a:rq:kind:correction:1",
        "a:m:::1",
    ]
    await harness.send(callback(STRANGER, "a:m:::1", language_code="en"))  # its "Menu": in place too
    assert [e.text for e in harness.fake.of("editMessageText", STRANGER)][-1] == "How can I help you?"
    assert harness.fake.of("sendMessage", STRANGER) == []
    await harness.send(callback(STRANGER, "a:rq:::", language_code="en"))  # "My data" under an answer
    assert "copy of the personal data" in harness.fake.of("sendMessage", STRANGER)[-1].text


async def test_bad_input_gets_a_clear_answer(harness: BotHarness) -> None:
    _ = translator_for("en")
    await harness.send(callback(STRANGER, "a:lc:::deadbeef", language_code="en"))  # stash entry long gone
    [alert] = harness.fake.of("answerCallbackQuery")
    assert alert.data["text"] == _("This button is no longer valid. Please open the menu again: /menu")
    await harness.send(callback(STRANGER, "garbage-data", language_code="en"))  # no factory matches
    assert harness.fake.of("answerCallbackQuery")[-1].data["text"] == alert.data["text"]
    await harness.send(callback(STRANGER, "c:0badc0de:1:", language_code="en"))  # a choice not offered
    assert harness.fake.of("answerCallbackQuery")[-1].data["text"] == alert.data["text"]
    assert harness.fake.sent_to(STRANGER) == []
    await harness.send(message(STRANGER, "/nonsense", language_code="en"))
    assert harness.fake.sent_to(STRANGER)[-1].text == _("I do not know this command. Here is what I can do:")
    await harness.send(message(STRANGER, "x" * 4001, language_code="en"))
    assert "4000" in harness.fake.sent_to(STRANGER)[-1].text
    async with harness.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SupportRequest)) == 0


async def test_expired_token_binds_nothing(harness: BotHarness) -> None:
    async with harness.services.sessions() as session, session.begin():
        token, _row = await links.mint(
            session, resident_id="R-2", ttl_minutes=30, now=NOW - timedelta(hours=1)
        )
    await harness.send(message(STRANGER, f"/start {token}", language_code="en"))
    answer = harness.fake.sent_to(STRANGER)[-1]
    assert "expired" in answer.text and not answer.buttons()
    assert await links_of(harness, STRANGER) == []
