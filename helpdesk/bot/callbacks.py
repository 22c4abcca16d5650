"""Callback data for inline buttons: fits Telegram's 64-byte limit and never carries secrets.

A :class:`~helpdesk.core.types.Button` with no argument, or with one short argument that is not
sensitive, becomes ``a:<action code>:<arg name>:<value>:<m>`` and works from any old message. Any
other button (a token's hash, an e-mail address, several arguments, an action without a code)
becomes ``c:<offer>:<number>:<m>``: a reference to the choice the handlers keep in the conversation
state, so its arguments never travel through Telegram's servers. ``m`` is ``1`` on a menu's buttons:
a menu they open may replace that menu (see :attr:`~helpdesk.core.types.Reply.navigation`).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from helpdesk.core.types import Action, Button

MAX_CALLBACK_BYTES = 64
SENSITIVE_ARGS = frozenset({"token", "token_hash", "email", "code"})
ON_MENU = "1"

ACTION_CODES: dict[Action, str] = {
    Action.MENU: "m",
    Action.START: "s",
    Action.HELP: "h",
    Action.ASK: "q",
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
    Action.CONSENT_ADDRESS: "ca",
    Action.ACCESS_REQUEST: "ra",
    Action.CORRECTION_REQUEST: "rc",
    Action.REQUEST_CONFIRM: "rq",
    Action.HUMAN: "p",
    Action.FAQ: "f",
}
ACTIONS_BY_CODE = {code: action for action, code in ACTION_CODES.items()}


class ActionCallback(CallbackData, prefix="a"):
    """A button that asks the shared handlers to do ``action`` with at most one plain argument."""

    c: str  # action code
    k: str = ""  # the one argument's name
    v: str = ""  # the one argument's value
    m: str = ""  # ON_MENU when the button is on a menu

    def action(self) -> Action | None:
        return ACTIONS_BY_CODE.get(self.c) if self.m in ("", ON_MENU) else None


class ChoiceCallback(CallbackData, prefix="c"):
    """The ``n``-th choice of the offer ``o`` (:mod:`helpdesk.core.conversation`)."""

    o: str
    n: int
    m: str = ""


def _fits(key: str, value: str) -> bool:
    if ":" in key or ":" in value:
        return False
    packed = ActionCallback(c="xx", k=key, v=value, m=ON_MENU).pack()
    return len(packed.encode()) <= MAX_CALLBACK_BYTES


def pack_button(button: Button, number: int, offer: str, *, on_menu: bool = False) -> str:
    """Callback data for ``button``, the ``number``-th (from 1) of the reply's offer ``offer``."""
    menu = ON_MENU if on_menu else ""
    code = ACTION_CODES.get(button.action)
    if code is not None and not button.args:
        return ActionCallback(c=code, m=menu).pack()
    if code is not None and len(button.args) == 1:
        ((key, value),) = button.args.items()
        if key not in SENSITIVE_ARGS and _fits(key, value):
            return ActionCallback(c=code, k=key, v=value, m=menu).pack()
    return ChoiceCallback(o=offer, n=number, m=menu).pack()
