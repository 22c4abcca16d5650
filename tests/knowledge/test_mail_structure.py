"""How a whole e-mail's structure is read (issue 14, fourth round): what a question sentence is,
where a sentence ends, on messages written for this test."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.reading import asks, asks_outright, parse


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
    [
        "Rēķins parasti atnāk desmitajā datumā.",
        "Квартира досталась мне от бабушки.",
        "My partner pays the bills.",
    ],
)
def test_a_sentence_of_context_does_not_ask(sentence: str) -> None:
    """A problem stated ("Rēķins vēl nav atnācis.") asks to have it set right: test_problems.py."""
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


@pytest.mark.parametrize(
    "sentence",
    [
        "līdz kuram datumam jānodod ūdens rādījumi",
        "Un par ko tieši ir šī maksa",
        "до какого числа нужно передать показания",
        "за что начислена эта сумма",
        "for how long do you keep the old invoices",
        "until when can I still send the readings",
    ],
)
def test_a_question_word_after_a_preposition_asks(sentence: str) -> None:
    assert asks_outright(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Par dzīvokli maksāju katru mēnesi.", "До этого всё было в порядке.", "For years it came by post."],
)
def test_a_preposition_before_other_words_asks_nothing(sentence: str) -> None:
    assert not asks(sentence)


def test_a_reply_written_below_the_quote_is_read() -> None:
    text = (
        "---------- Forwarded message ---------\nFrom: Ilze Ozola\nDate: Mon, 4 May 2026\n"
        "Subject: water\n> Jānis, the cold water number went into the hot water box.\n\n"
        "Hello, my neighbour is right, I typed the readings into the wrong boxes. How can I fix them?\n"
        "Jānis\n"
    )
    sentences = [span.text for span in parse(text).sentences]
    assert sentences == [
        "my neighbour is right, I typed the readings into the wrong boxes.",
        "How can I fix them?",
    ]
    assert all(text[span.start : span.end] == span.text for span in parse(text).sentences)


def test_a_quote_answered_above_keeps_only_the_answer() -> None:
    text = "Kā iesniegt rādījumus?\n\n> Paldies par jūsu vēstuli.\n> Rādījumus gaidām līdz 25. datumam.\n"
    assert [span.text for span in parse(text).sentences] == ["Kā iesniegt rādījumus?"]


def test_a_clause_cut_at_a_latin_letter_i_asks() -> None:
    """The clause cut ("… i gde …" is "… и где …") and what asks agree: the cut-off clause asks."""
    assert _sentences("do kakogo chisla platit' schet i gde ego posmotret' na sajte") == [
        "do kakogo chisla platit' schet",
        "i gde ego posmotret' na sajte",
    ]
    assert asks("i gde ego posmotret' na sajte")
    assert not asks("I paid it on Friday.")


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        (
            "Lūdzu atsūtiet man pēdējo rēķinu, kā arī visus pagājušā gada rēķinus.",
            "kā arī visus pagājušā gada rēķinus.",
        ),
        (
            "Пришлите мне акт сверки, а также все квитанции за прошлый год.",
            "а также все квитанции за прошлый год.",
        ),
        (
            "Please send me the May invoice, as well as the ones for June and July.",
            "as well as the ones for June and July.",
        ),
    ],
)
def test_a_clause_cut_at_as_well_as_asks_as_the_request_before_it(text: str, clause: str) -> None:
    assert _sentences(text)[-1] == clause
    assert asks(clause)
