"""The export's data written for reading: amounts and language names as the document's language
writes them; the JSON keeps the stored codes and decimals."""

from __future__ import annotations

from helpdesk.casework.export_data import language_name, money


def test_money_and_language_names() -> None:
    assert [money("54.20", "EUR", lang) for lang in ("lv", "ru", "en")] == [
        "54,20\xa0€",
        "54,20\xa0€",
        "€54.20",
    ]
    assert money("1234.5", "EUR", "lv") == "1\xa0234,50\xa0€"  # grouped as Latvian writes it
    assert money("n/a", "EUR", "en") == "n/a EUR"
    assert [language_name("lv", lang) for lang in ("lv", "ru", "en")] == ["Latviešu", "Латышский", "Latvian"]
    assert language_name("xx-unknown", "en") == "xx-unknown"
    assert language_name(None, "lv") == "—"
