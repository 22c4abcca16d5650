"""One router per feature; :func:`all_routers` gives them in the order the dispatcher needs.

Order matters: group chats and edited messages are answered first (nothing else applies there),
then commands and buttons, then collected answers (FSM states), then non-text input, and free
text last.
"""

from __future__ import annotations

from aiogram import Router


def all_routers() -> list[Router]:
    from helpdesk.bot.routers import (
        actions,
        consent,
        invoices,
        linking,
        menu,
        questions,
        requests,
        unsupported,
    )

    return [
        unsupported.build_router(),
        linking.build_router(),
        menu.build_router(),
        invoices.build_router(),
        consent.build_router(),
        requests.build_router(),
        actions.build_router(),
        unsupported.build_media_router(),
        questions.build_router(),
    ]
