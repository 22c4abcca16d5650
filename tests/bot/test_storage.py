"""The bot's repository on both backends: the one-query profile agrees with the shared identify
rule, the language choice wins over the link's, and the file_id cache follows the bytes."""

from __future__ import annotations

from helpdesk.handlers.identify import resident_for_telegram
from helpdesk.services import Services
from helpdesk.storage.repositories import telegram as telegram_repo
from tests.bot.conftest import LINKED_USER, STRANGER


async def test_profile_agrees_with_resident_for_telegram(services: Services) -> None:
    for user in (LINKED_USER, STRANGER):
        async with services.sessions() as session:
            resident, _language = await telegram_repo.profile(session, user)
        assert resident == await resident_for_telegram(services, user)
    async with services.sessions() as session:
        assert await telegram_repo.profile(session, LINKED_USER) == ("R-1", "lv")
        assert await telegram_repo.profile(session, STRANGER) == (None, None)


async def test_choice_overrides_the_link_language(services: Services) -> None:
    async with services.sessions.begin() as session:
        await telegram_repo.choose_language(session, LINKED_USER, "ru")
        await telegram_repo.choose_language(session, STRANGER, "en")
    async with services.sessions.begin() as session:
        await telegram_repo.choose_language(session, STRANGER, "lv")  # update, not a duplicate
    async with services.sessions() as session:
        assert await telegram_repo.profile(session, LINKED_USER) == ("R-1", "ru")
        assert await telegram_repo.chosen_language(session, STRANGER) == "lv"


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
