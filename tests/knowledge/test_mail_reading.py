"""How a whole e-mail is read (issue 14, third round): its structure (paragraphs, clauses, what asks
and what tells a story) decides which sentences lean on which, on messages written for this test."""

from __future__ import annotations

from helpdesk.knowledge.parts import contexts
from helpdesk.knowledge.reading import parse


def _singles(text: str) -> list[bool]:
    sentences = parse(text).sentences
    return contexts(text, sentences, [(index, index) for index in range(len(sentences))])


def test_a_name_in_the_story_colours_its_own_paragraph_and_neighbours_only() -> None:
    text = (
        "Labdien!\n\nKaimiņš man palīdzēja ar datoru. Tagad mācos pati. Esmu pensijā.\n\n"
        "Kā iesniegt rādījumus?\n\nPaldies, Maija"
    )
    # The neighbour's sentence is no context of its own; the question two sentences and a
    # paragraph away is not read as being about the neighbour.
    assert _singles(text) == [False, True, True, False]


def test_another_company_in_the_same_paragraph_is_context_for_the_request() -> None:
    text = "Tet rēķinā par internetu ir 34 eiro. Es neko nepasūtīju. Lūdzu paskaidrojiet, kāpēc."
    sentences = parse(text).sentences
    assert contexts(text, sentences, [(0, 0), (2, 2), (0, 1), (1, 2)]) == [False, True, False, True]
