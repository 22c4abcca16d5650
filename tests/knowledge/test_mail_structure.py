"""How a whole e-mail's structure is read (issue 14, fourth round): what a question sentence is,
where a sentence ends, on messages written for this test."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.confidence import LOWEST_SCORE, SHIPPED, Model
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.reading import asks, parse


def _sentences(text: str) -> list[str]:
    return [sentence.text for sentence in parse(text).sentences]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ko šīs rindas rēķinā nozīmē",
        "Kam jāzvana, ja pagrabā tek ūdens",
        "kādam nolūkam jums vajag manu tālruņa numuru",
        "Kurš aprēķina apsaimniekošanas maksu",
        "Кто отвечает за уборку подъезда",
        "Какие документы нужны для продажи",
        "Смогу ли я платить с иностранной карты",
        "Would it be possible to get the bill in English",
        "Kto otvechaet za schetchiki",
    ],
)
def test_a_question_without_its_mark_asks(sentence: str) -> None:
    assert asks(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Rēķins vēl nav atnācis.", "Квартира досталась мне от бабушки.", "My partner pays the bills."],
)
def test_a_sentence_of_context_does_not_ask(sentence: str) -> None:
    assert not asks(sentence)


def test_a_shortened_word_or_an_initial_ends_no_sentence() -> None:
    text = "Квартира в Даугавпилсе, ул. Vienības 25-14, перешла ко мне. Счета приходят маме."
    assert _sentences(text) == [
        "Квартира в Даугавпилсе, ул. Vienības 25-14, перешла ко мне.",
        "Счета приходят маме.",
    ]
    assert _sentences("Rēķins nāk uz Kr. Valdemāra ielu, dz. 5. Kā to mainīt?") == [
        "Rēķins nāk uz Kr. Valdemāra ielu, dz. 5.",
        "Kā to mainīt?",
    ]
    assert len(parse("Мне пришёл счёт на имя Петровой, кв. 17, с её суммой.").sentences) == 1
    # A number before the dot still ends the sentence ("… ielā 40-12. Mantojuma …").
    assert len(parse("Dzīvoju Rīgas ielā 40-12. Mantojuma lieta nav pabeigta.").sentences) == 2


# A run-on mail of one long sentence, as voice-to-text writes it: its best entry scores under the
# floor for its length alone.
RUN_ON = (
    "good evening my name is anna from purvciems I was in hospital the whole month so I never "
    "entered the water meter readings in time and now the page does not allow it anymore what "
    "happens now"
)
SURE = Model(weights=(0.0,) * len(SHIPPED.weights), intercept=5.0)  # always sure (p = 0.99)


@pytest.fixture(scope="module")
def sure_matcher(matcher: KnowledgeMatcher) -> KnowledgeMatcher:
    return KnowledgeMatcher(matcher.knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN, model=SURE)


def test_a_message_of_one_piece_answers_under_the_floor_when_the_model_is_sure(
    matcher: KnowledgeMatcher, sure_matcher: KnowledgeMatcher
) -> None:
    verdict = matcher.decide(RUN_ON, "en")
    assert verdict.score < LOWEST_SCORE
    assert verdict.candidates[0].entry == "meter-readings-missed"
    # The shipped model is not sure of so long and low-scored a sentence: a person reads it.
    assert verdict.decision is Decision.ESCALATE
    # A model that is sure lets the whole message answer under the floor ...
    assert sure_matcher.decide(RUN_ON, "en").entry == "meter-readings-missed"
    assert [part.entry for part in sure_matcher.read(RUN_ON).parts] == ["meter-readings-missed"]
    # ... but never one piece of a longer mail: its neighbours carry the question.
    assert sure_matcher.decide(RUN_ON, "en", fragment=True).decision is Decision.ESCALATE
