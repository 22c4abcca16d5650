"""One-click unsubscribe tokens: they round-trip, refuse every forgery, and the links already in
residents' inboxes keep working (the format and key did not change when they moved to core)."""

from __future__ import annotations

import pytest

from helpdesk.core.unsubscribe import make_unsubscribe_token, verify_unsubscribe_token

KEY = b"test-secret"


def test_a_token_names_its_resident() -> None:
    assert verify_unsubscribe_token(KEY, make_unsubscribe_token(KEY, "R-1")) == "R-1"
    assert verify_unsubscribe_token(KEY, make_unsubscribe_token(KEY, "Ā-7")) == "Ā-7"


def test_links_sent_before_still_verify() -> None:
    """Made by the mailbox's token code before it moved here, with the same key."""
    assert verify_unsubscribe_token(KEY, "Ui0x.ujYBkwFOV1IjiA02yAru-bIMFzQqvuOFVg_K8f7Zggw") == "R-1"
    assert make_unsubscribe_token(KEY, "Ā-7") == "xIAtNw.WGWLw5o9LbvGUzhiKGmpWXYn86hdTIGMVRGvXAwJi8g"


TOKEN = make_unsubscribe_token(KEY, "R-1")


@pytest.mark.parametrize(
    "forged",
    [
        make_unsubscribe_token(b"another", "R-1"),
        TOKEN[:-2] + ("AA" if not TOKEN.endswith("AA") else "BB"),
        make_unsubscribe_token(KEY, "R-2").split(".")[0] + "." + TOKEN.split(".")[1],
        "",
        ".",
        "a.b.c",
        "%%%.%%%",
        "x" * 1000,
    ],
)
def test_a_forged_cut_or_garbled_token_names_nobody(forged: str) -> None:
    assert verify_unsubscribe_token(KEY, forged) is None
