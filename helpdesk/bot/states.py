"""FSM states: the few places where the bot collects a typed answer before asking the handlers."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Collecting(StatesGroup):
    news_email = State()  # a new address for news e-mails (double opt-in follows)
    news_code = State()  # the confirmation code mailed to that address
    correction = State()  # what should be corrected in the resident's data
    correction_details = State()  # the same, for a correction request the handlers already filed


# The handlers say what they wait for in ``Reply.extra["awaiting"]``.
AWAITING_STATES = {
    "consent_email": Collecting.news_email,
    "consent_code": Collecting.news_code,
    "correction": Collecting.correction,
    "correction_details": Collecting.correction_details,
}

#: FSM data key: the request a collected answer goes to (``Reply.extra["request_id"]``).
AWAITED_REQUEST_KEY = "awaited_request"
