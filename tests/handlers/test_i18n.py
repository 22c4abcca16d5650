"""Every text a handler can show exists in Latvian, Russian and English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import helpdesk
from helpdesk.i18n import LOCALES_DIR

PACKAGE = Path(helpdesk.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _used_msgids() -> set[str]:
    found = extract_from_dir(
        str(PACKAGE / "handlers"), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    )
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def _used_plural_msgids() -> set[tuple[str, str]]:
    """``ctx.ngettext(singular, plural, n)``: texts with a count."""
    found = extract_from_dir(
        str(PACKAGE / "handlers"), method_map=[("**.py", "python")], keywords={"ngettext": (1, 2)}
    )
    return {tuple(m) for _file, _line, m, _comments, _context in found if isinstance(m, tuple)}  # type: ignore[misc]


def test_handlers_use_catalog_texts() -> None:
    assert len(_used_msgids()) > 50
    assert len(_used_plural_msgids()) >= 3


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_every_text_with_a_count_has_all_its_forms(language: str) -> None:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "helpdesk.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = []
    for singular, plural in sorted(_used_plural_msgids()):
        message = catalog.get((singular, plural))
        forms = (
            list(message.string) if message is not None and isinstance(message.string, tuple | list) else []
        )
        if (
            message is None
            or message.id != (singular, plural)
            or len([f for f in forms if f]) != catalog.num_plurals
        ):
            missing.append(singular)
    assert not missing, f"untranslated plural forms in {language}: {missing}"


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_every_msgid_is_translated(language: str) -> None:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "helpdesk.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing, broken = [], []
    for msgid in sorted(_used_msgids()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(msgid)
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(str(message.string))):
            broken.append(msgid)
    assert not missing, f"untranslated in {language}: {missing}"
    assert not broken, f"placeholders differ in {language}: {broken}"
