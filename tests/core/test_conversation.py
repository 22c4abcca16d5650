"""The conversation state's stored form: written and read back the same, numbered as shown, and
tolerant of what another version wrote (an old button then says it is no longer valid)."""

from __future__ import annotations

from helpdesk.core.conversation import Choice, ConversationState, offer_id, offered
from helpdesk.core.types import Action, Awaiting, Button, ChoiceRef

ROWS = (
    (Button("A", Action.INVOICE), Button("B", Action.CONSENT_STATUS)),
    (Button("C", Action.INVOICE_PERIOD, {"period": "2026-10"}),),
)


def test_choices_are_numbered_as_the_buttons_are_shown() -> None:
    state = ConversationState(choices=offered(ROWS))
    assert state.chosen(ChoiceRef(1)) == Choice(Action.INVOICE)
    assert state.chosen(ChoiceRef(3)) == Choice(Action.INVOICE_PERIOD, (("period", "2026-10"),))
    assert state.chosen(ChoiceRef(3)).arguments == {"period": "2026-10"}  # type: ignore[union-attr]
    assert state.chosen(ChoiceRef(0)) is None and state.chosen(ChoiceRef(4)) is None


def test_a_choice_from_another_offer_is_not_taken() -> None:
    state = ConversationState(choices=offered(ROWS))
    assert state.chosen(ChoiceRef(1, state.offer)) == Choice(Action.INVOICE)
    other = offer_id(offered(((Button("A", Action.MENU),),)))
    assert other != state.offer and state.chosen(ChoiceRef(1, other)) is None
    # the offer is named by what its choices do, not by their labels
    relabelled = offered(((Button("x", Action.INVOICE), Button("y", Action.CONSENT_STATUS)), (ROWS[1][0],)))
    assert offer_id(relabelled) == state.offer


def test_the_stored_form_round_trips() -> None:
    state = ConversationState(
        awaiting=Awaiting.CORRECTION_DETAILS, request_id=7, choices=offered(ROWS), language="ru"
    )
    assert ConversationState.from_json(state.to_json(), "ru") == state
    assert ConversationState(language="lv").to_json() is None  # nothing awaited or offered: NULL
    assert ConversationState.from_json(None, "lv") == ConversationState(language="lv")


def test_what_is_not_understood_is_dropped() -> None:
    assert ConversationState.from_json({"choices": [["no-such-action", {}]]}).choices == ()
    assert ConversationState.from_json({"choices": "garbage", "awaiting": "news_code"}).choices == ()
    assert ConversationState.from_json({"awaiting": "a-newer-kind", "request": 3}) == ConversationState()
    assert ConversationState.from_json({"awaiting": "news_code", "request": "x"}).request_id is None
    assert ConversationState.from_json([1, 2]) == ConversationState()
