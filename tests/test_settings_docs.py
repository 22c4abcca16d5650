"""docs/settings.md is generated from the settings model, and the committed page is that output."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.core.errors import ConfigurationError
from helpdesk.settings import load_settings
from helpdesk.settings.docs import render

PAGE = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_the_settings_page_is_generated_from_the_model() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/settings.md differs from the settings model; regenerate it with "
        "`python -m helpdesk.settings.docs > docs/settings.md`"
    )


def test_flat_names_reach_their_groups() -> None:
    """Operators' files, the demo and the tests name settings flat; each lands in its group."""
    settings = load_settings(webhook_url="https://bot.example/hook", imap_folder="Support", kb_margin=7.5)
    assert settings.telegram.webhook_url == "https://bot.example/hook"
    assert settings.mailbox.imap_folder == "Support"
    assert settings.knowledge.kb_margin == 7.5
    assert {"webhook_url", "imap_folder", "kb_margin"} <= settings.configured()
    with pytest.raises(ConfigurationError, match=r"^HELPDESK_IMAP_PORT: "):
        load_settings(imap_port=0)
    with pytest.raises(TypeError, match="HELPDESK_NO_SUCH_THING"):
        load_settings(no_such_thing=1)
