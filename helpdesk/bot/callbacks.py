"""Callback data for inline buttons: fits Telegram's 64-byte limit and never carries secrets.

A :class:`~helpdesk.core.types.Button` becomes ``a:<action code>:<arg name>:<value>:<stash ref>``.
Arguments that are sensitive (a link token, an e-mail address, a code), too long, or more than
one are kept in the person's FSM data under a short random reference instead, so they never
travel through Telegram's servers in callback data.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiogram.filters.callback_data import CallbackData

from helpdesk.core.types import Action, Button

MAX_CALLBACK_BYTES = 64
SENSITIVE_ARGS = frozenset({"token", "email", "code"})
STASH_KEY = "button_args"
STASH_SIZE = 16

ACTION_CODES: dict[Action, str] = {
    Action.MENU: "m",
    Action.HELP: "h",
    Action.LANGUAGE: "l",
    Action.LINK_REDEEM: "lr",
    Action.LINK_CONFIRM: "lc",
    Action.LINK_CANCEL: "lx",
    Action.UNLINK: "u",
    Action.UNLINK_CONFIRM: "uc",
    Action.INVOICE: "i",
    Action.INVOICE_PERIOD: "ip",
    Action.INVOICE_LIST: "il",
    Action.CONSENT_STATUS: "cs",
    Action.CONSENT_WITHDRAW: "cw",
    Action.CONSENT_GIVE: "cg",
    Action.CONSENT_GIVE_CONFIRM: "cc",
    Action.ACCESS_REQUEST: "ra",
    Action.CORRECTION_REQUEST: "rc",
    Action.REQUEST_CONFIRM: "rq",
    Action.HUMAN: "p",
    Action.FAQ: "f",
}
ACTIONS_BY_CODE = {code: action for action, code in ACTION_CODES.items()}


class ActionCallback(CallbackData, prefix="a"):
    """A button that asks the shared handlers to do ``action``."""

    c: str  # action code
    k: str = ""  # the one argument's name
    v: str = ""  # the one argument's value
    s: str = ""  # reference into the stash when the arguments did not fit

    def action(self) -> Action | None:
        return ACTIONS_BY_CODE.get(self.c)


class NavCallback(CallbackData, prefix="n"):
    """A bot-only navigation button (no handler involved): sub-menus and prompts."""

    to: str
    v: str = ""


def _fits(key: str, value: str) -> bool:
    if ":" in key or ":" in value:
        return False
    packed = ActionCallback(c="xx", k=key, v=value).pack()
    return len(packed.encode()) <= MAX_CALLBACK_BYTES


def pack_button(button: Button, stash: dict[str, Any]) -> str:
    """Callback data for ``button``; puts its arguments into ``stash`` (mutated) when needed."""
    code = ACTION_CODES[button.action]
    if not button.args:
        return ActionCallback(c=code).pack()
    if len(button.args) == 1:
        ((key, value),) = button.args.items()
        if key not in SENSITIVE_ARGS and _fits(key, value):
            return ActionCallback(c=code, k=key, v=value).pack()
    ref = secrets.token_hex(4)
    stash[ref] = dict(button.args)
    while len(stash) > STASH_SIZE:  # oldest first: dicts keep insertion order
        stash.pop(next(iter(stash)))
    return ActionCallback(c=code, s=ref).pack()


def unpack_args(data: ActionCallback, stash: dict[str, Any]) -> dict[str, str] | None:
    """The button's arguments, or None when they were stashed and are gone (an old button)."""
    if data.s:
        found = stash.get(data.s)
        if not isinstance(found, dict):
            return None
        return {str(k): str(v) for k, v in found.items()}
    return {data.k: data.v} if data.k else {}
