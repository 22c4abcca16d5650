"""The word rules threading reads with: a bare wish for a person, a question after one's own
request, a correction that holds its new data (invented messages, with negatives)."""

from __future__ import annotations

import pytest

from helpdesk.handlers.requests import holds_details
from helpdesk.knowledge.personwish import only_wants_a_person
from helpdesk.knowledge.progress import asks_after_own_request


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("ok. can I talk to a real person please", True),
        ("Gribu runāt ar cilvēku", True),
        ("хочу поговорить с живым человеком, пожалуйста", True),
        ("Labdien! Lūdzu, savienojiet mani ar dzīvu darbinieku, nevis botu", True),
        ("can I talk to a person about my invoice amount please", False),
        ("gribu cilvēku par rēķinu", False),
        ("соедините с оператором, счёт 2024-05 неверный", False),
        ("I want a human, 12", False),
    ],
)
def test_a_bare_wish_holds_only_its_own_words(text: str, bare: bool) -> None:
    assert only_wants_a_person(text) is bare


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Я вчера писала про счёт, есть новости по моему вопросу?", True),
        ("Что нового с моей заявкой?", True),
        ("Vai ir kas jauns par manu pieprasījumu?", True),
        ("Sveiki, kā virzās mans iesniegums?", True),
        ("When will I get an answer to my question?", True),
        ("I wrote to you last week, any news?", True),
        ("any news about the portal?", False),
        ("My question is about the invoice answer", False),
        ("Kāds ir portāla statuss?", False),
        ("Какие новости по тарифам?", False),
    ],
)
def test_asking_after_ones_own_request_needs_both_halves(text: str, asks: bool) -> None:
    assert asks_after_own_request(text) is asks


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Change my surname to Ozola", True),
        ("Моя фамилия теперь Иванова, исправьте", True),
        ("new e-mail: liga@example.lv", True),
        ("Lūdzu nomainiet tālruni uz 29123456", True),
        ("Sveiki! Mans uzvārds ir mainījies, lūdzu izlabojiet datus", False),
        ("Please correct my address, I moved", False),
        ("Моя фамилия изменилась. Исправьте данные", False),
        ("", False),
    ],
)
def test_a_correction_holds_details_when_it_names_the_new_data(text: str, holds: bool) -> None:
    assert holds_details(text) is holds
