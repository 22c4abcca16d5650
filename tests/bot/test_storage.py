"""The Telegram user's identity and language as the dispatcher reads them with the conversation (one
statement, both backends): the link names the resident, the language chosen in the bot wins over
the link's, which wins over the Telegram app's; and the file_id cache follows the bytes."""

from __future__ import annotations

from helpdesk.services import Services
from helpdesk.storage.repositories import conversations, links
from helpdesk.storage.repositories import telegram as telegram_repo
from tests.bot.conftest import LINKED_USER, NOW, STRANGER


async def _read(services: Services, user: int, app_language: str = "en") -> tuple[str | None, str | None]:
    async with services.sessions.begin() as session:
        read = await conversations.continue_or_start(
            await session.connection(),
            channel="telegram",
            contact=str(user),
            resident_id=None,
            telegram_user_id=user,
            language=app_language,
            now=NOW,
        )
        return (read.resident.id if read.resident else None), read.state.language


async def test_the_link_names_the_resident(services: Services) -> None:
    assert await _read(services, LINKED_USER) == ("R-1", "lv")  # the link's language over the app's
    assert await _read(services, STRANGER) == (None, "en")  # no link: nobody, the app's language
    async with services.sessions.begin() as session:
        await links.unbind(session, LINKED_USER)
    assert await _read(services, LINKED_USER) == (None, "en")


async def test_choice_overrides_the_link_language(services: Services) -> None:
    async with services.sessions.begin() as session:
        await telegram_repo.choose_language(session, LINKED_USER, "ru")
        await telegram_repo.choose_language(session, STRANGER, "en")
    async with services.sessions.begin() as session:
        await telegram_repo.choose_language(session, STRANGER, "lv")  # update, not a duplicate
    assert await _read(services, LINKED_USER) == ("R-1", "ru")
    assert await _read(services, STRANGER, "ru") == (None, "lv")


async def test_file_id_cache_is_per_bot_and_per_bytes(services: Services) -> None:
    async with services.sessions.begin() as session:
        await telegram_repo.remember_file_id(
            session, bot_id=1, document_key="INV-1", sha256="a" * 64, file_id="F1"
        )
    async with services.sessions() as session:
        assert (
            await telegram_repo.cached_file_id(session, bot_id=1, document_key="INV-1", sha256="a" * 64)
            == "F1"
        )
        assert (
            await telegram_repo.cached_file_id(session, bot_id=2, document_key="INV-1", sha256="a" * 64)
            is None
        )
        assert (
            await telegram_repo.cached_file_id(session, bot_id=1, document_key="INV-1", sha256="b" * 64)
            is None
        )
    async with services.sessions.begin() as session:
        await telegram_repo.remember_file_id(
            session, bot_id=1, document_key="INV-1", sha256="b" * 64, file_id="F2"
        )
        await telegram_repo.forget_file_id(session, bot_id=2, document_key="INV-1")
    async with services.sessions() as session:
        assert (
            await telegram_repo.cached_file_id(session, bot_id=1, document_key="INV-1", sha256="b" * 64)
            == "F2"
        )
    async with services.sessions.begin() as session:
        await telegram_repo.forget_file_id(session, bot_id=1, document_key="INV-1")
    async with services.sessions() as session:
        assert (
            await telegram_repo.cached_file_id(session, bot_id=1, document_key="INV-1", sha256="b" * 64)
            is None
        )
