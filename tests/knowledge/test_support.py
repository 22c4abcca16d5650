"""How the pieces of a longer message vouch for one another (issue 14, third round): a piece's
support, its second decision in the light of it, and a sentence of context answering together with
the question next to it. Pieces and signals are made up here, not taken from the evaluation sets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.confidence import SHIPPED, Signals
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, KnowledgeMatcher
from helpdesk.knowledge.overlaps import support
from helpdesk.knowledge.parts import Unit, Verdict, choose
from helpdesk.knowledge.reading import Span


def _verdict(*entries: str, decision: Decision = Decision.ESCALATE) -> Verdict:
    candidates = tuple(Candidate(entry, 60.0 - 10 * rank) for rank, entry in enumerate(entries))
    return Verdict(decision, None, candidates[0].score if candidates else 0.0, candidates)


def test_support_is_the_share_of_overlapping_pieces_that_agree() -> None:
    spans = [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (0, 2)]
    verdicts = [
        _verdict("invoice-missing"),
        _verdict("pay-online"),
        _verdict("invoice-missing"),
        _verdict("invoice-missing", "pay-online"),  # runner-up: counts a half
        _verdict("late-fee"),
        _verdict("invoice-missing"),
    ]
    # Sentence 1 (pay-online) is overlapped by the pairs and the whole. With sentence 0 a question:
    # (0, 1) holds both questions and ranks pay-online second, a half; (1, 2) adds context and
    # reads otherwise, 0; the whole reads as question 0 alone does, so it is about that question
    # and left out.
    asking = [True, True, False]
    assert support(spans, verdicts, 1, asking) == pytest.approx(0.5 / 2)
    # With sentence 0 a sentence of context, (0, 1) is the context read along pulling the reading
    # elsewhere: no half; and the whole counts, against.
    assert support(spans, verdicts, 1, [False, True, False]) == 0.0
    # Sentence 0 is overlapped by (0, 1) and (0, 2), both with its best entry.
    assert support(spans, verdicts, 0, asking) == 1.0
    assert support([(0, 0)], [_verdict("pay-online")], 0) == 0.0  # one sentence: nobody to vouch
    assert support(spans, [*verdicts[:5], _verdict()], 5) == 0.0


def _signals(score: float, support: float) -> Signals:
    return Signals(score, 15.0, 2.0, 0.2, 6, True, False, False, False, support)


def test_support_raises_the_confidence() -> None:
    alone, backed = (SHIPPED.probability(_signals(50.0, s)) for s in (0.0, 1.0))
    assert alone < backed


def test_a_doubted_piece_answers_when_the_message_backs_it(matcher: KnowledgeMatcher) -> None:
    # The lowest score at which a fully backed piece is sure enough, and the same piece alone.
    score = next(s for s in range(44, 100) if SHIPPED.probability(_signals(s, 1.0)) >= matcher.confident)
    assert SHIPPED.probability(_signals(score, 0.0)) < matcher.confident
    candidates = (Candidate("pay-online", float(score)), Candidate("auto-payment", score - 15.0))
    doubted = Verdict(
        Decision.ESCALATE, None, float(score), candidates, 2.0, False, _signals(score, 0.0), 0.5, True
    )
    backed = matcher.reconsider(doubted, 1.0)
    assert (backed.decision, backed.entry) == (Decision.ANSWER, "pay-online")
    assert matcher.reconsider(doubted, 0.0).decision is Decision.ESCALATE
    # An answer the rest of the message does not back is withdrawn, and a clarification too.
    answered = doubted._replace(decision=Decision.ANSWER, entry="pay-online", doubt=False)
    assert matcher.reconsider(answered, 0.0).decision is Decision.ESCALATE
    assert matcher.reconsider(doubted._replace(doubt=False), 1.0).decision is Decision.ESCALATE
    # One sentence alone is not reconsidered.
    whole = doubted._replace(signals=replace(_signals(score, 0.0), fragment=False))
    assert matcher.reconsider(whole, 1.0) is whole


def test_context_answers_with_the_question_next_to_it() -> None:
    text = "Man liekas, ka mans e-pasts nonācis pie reklāmas firmas. Kur sūdzēties?"
    sentences = (Span(0, 55, text[0:55]), Span(56, len(text), text[56:]))
    complaint = (Candidate("privacy-complaint", 58.0),)
    decided = [
        Unit(0, 0, Decision.ANSWER, "privacy-complaint", 58.0, complaint, False, 2.0, False, 0.9),
        Unit(1, 1, Decision.ESCALATE, None, 36.0, complaint, True, 0.5, False, 0.6),
        Unit(0, 1, Decision.ESCALATE, None, 40.0, complaint, True, 2.0, False, 0.6),
    ]
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.entry, p.text) for p in parts] == [(Decision.ANSWER, "privacy-complaint", text)]
    # A question of its own subject that leans elsewhere leaves the context unanswered.
    elsewhere = (Candidate("late-fee", 36.0), Candidate("overpayment", 30.0))
    decided[1] = replace(decided[1], candidates=elsewhere, subject=2.0)
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.entry) for p in parts] == [(Decision.ESCALATE, None)]
