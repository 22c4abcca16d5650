"""From a parsed message to its parts: which sentences hold which question, and what to do with each.

Each sentence, and each run of two or three neighbouring sentences (a question often leans on the
sentences of context around it), is matched on its own, so a greeting, a story and a signature
cannot dilute the question. The sure answers are then taken best first, without overlap and
without repeating an entry, up to three; every question nobody could place, and every question past
the third answer, becomes a part for a person (one per run of such sentences), so no question of a
mail is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from helpdesk.core.matching import Candidate, Decision, MessageKind, Part, Reading
from helpdesk.knowledge import scope
from helpdesk.knowledge.ellipsis import elliptical
from helpdesk.knowledge.followup import OWN_SUBJECT, asked_again, follow_up, inherited
from helpdesk.knowledge.interlocutor import asks_who_answers, only_asks_who
from helpdesk.knowledge.leaning import asked_apart, leaning, own_reading
from helpdesk.knowledge.overlaps import supports
from helpdesk.knowledge.reading import QUESTION, Parsed, Span, asks, asks_outright, shadow
from helpdesk.knowledge.samesubject import reread
from helpdesk.knowledge.stories import story_led
from helpdesk.knowledge.verdict import Verdict as Verdict  # re-exported: the matcher and tests read it
from helpdesk.knowledge.windows import MAX_SENTENCES as MAX_SENTENCES  # re-exported: rank_eval reads it
from helpdesk.knowledge.windows import window as window  # re-exported: tests read it

MAX_PARTS = 3
UNIT_SIZES = (1, 2, 3)  # a sentence alone, with a neighbour, with both
EXTRA_LEAD = 6.0  # a second or third answer needs this much more than the threshold ...
EXTRA_SURE = 0.85  # ... or the model this sure of it
HUMAN = "action:human"
STATE_CHANGING = frozenset(
    {"action:consent-withdraw", "action:consent-give", "action:access-request", "action:correction-request"}
)


# A request left unanswered goes to a person when it names at least this much (a remark beside
# the answered question, "не хочу штрафов", names less).
REQUEST_SUBJECT = 2.0


@dataclass(frozen=True, slots=True)
class Unit:
    """A run of sentences matched together, and the decision for it."""

    first: int  # sentence indexes, inclusive
    last: int
    decision: Decision
    entry: str | None
    score: float
    candidates: tuple[Candidate, ...]
    asks: bool = False  # one of its sentences asks a question or for something to be done
    subject: float = 0.0  # Verdict.subject
    foreign: bool = False  # Verdict.foreign
    confidence: float = 0.0  # Verdict.confidence
    everyday: bool = False  # Verdict.everyday
    known: bool = False  # the KB knows every content word of it (``Signals.unknown`` is 0)
    elsewhere: bool = False  # Verdict.elsewhere

    @property
    def own_question(self) -> bool:
        """One sentence that asks and names a subject of its own."""
        return self.asks and self.first == self.last and self.subject >= OWN_SUBJECT


# Decides one piece: (its text, one piece of a longer message, another company or subject is named
# around it).
Decide = Callable[[str, bool, bool], Verdict]
# A piece's verdict decided again, given its support in the rest of the message (0..1, None: :func:`support`).
Reconsider = Callable[[Verdict, float | None], Verdict]


def _span(text: str, sentences: Sequence[Span], first: int, last: int) -> Span:
    start, end = sentences[first].start, sentences[last].end
    return Span(start, end, text[start:end])


def _paragraphs(text: str, sentences: Sequence[Span]) -> list[int]:
    """Each sentence's paragraph number: a blank line (quoted or not) between two sentences starts
    a new one."""
    found = [0]
    for before, after in pairwise(sentences):
        found.append(found[-1] + bool(_BLANK_LINE.search(text, before.end, after.start)))
    return found


_BLANK_LINE = re.compile(r"\n[ \t>]*\n")


def contexts(text: str, sentences: Sequence[Span], spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each span of sentences, whether a sentence around it names another company or subject
    (``scope``): a neighbour, or a sentence of the same paragraph. Such a name colours the questions
    next to it ("Tet rēķinā ir 34 eiro. … Lūdzu paskaidrojiet, kāpēc"), not a question paragraphs
    away from the story that mentioned the neighbour; and a piece's own names are its own verdict's
    business (``Mentions.foreign``), not its context."""
    others = [scope.colours_context(shadow(sentence.text)) for sentence in sentences]
    if not any(others):
        return [False] * len(spans)
    paragraph = _paragraphs(text, sentences)
    # A question asked after the piece is a question of its own, not what the piece is about
    # ("Vai rēķinu var samaksāt portālā? Un vēl - vai var pieteikties uz stāvvietu?").
    later = [bool(QUESTION.search(shadow(sentence.text))) for sentence in sentences]
    return [
        any(
            others[index]
            and not (later[index] and index > last)
            and (first - 1 <= index <= last + 1 or paragraph[index] in (paragraph[first], paragraph[last]))
            for index in range(len(sentences))
            if not first <= index <= last
        )
        for first, last in spans
    ]


def units(
    text: str,
    sentences: Sequence[Span],
    decide: Decide,
    reconsider: Reconsider | None = None,
    told: frozenset[Span] = frozenset(),
) -> list[Unit]:
    """Every sentence, and every run of two or three neighbours, decided on its own, then
    (``reconsider``) again in the light of the pieces around it. A sentence of ``told`` (a
    forwarded notice, ``reading.Parsed.told``) never asks: it answers only read with the question
    beside it, and a piece that holds one runs no action."""
    found = []
    count = min(len(sentences), MAX_SENTENCES)
    asking = [asks(sentence.text) and sentence not in told for sentence in sentences[:count]]
    outright = [asks_outright(sentence.text) and sentence not in told for sentence in sentences[:count]]
    spans = [(first, first + size - 1) for size in UNIT_SIZES for first in range(count - size + 1)]
    around = contexts(text, sentences[:count], spans)
    verdicts = [
        decide(_span(text, sentences, first, last).text, count > 1, near)
        for (first, last), near in zip(spans, around, strict=True)
    ]
    if reconsider is not None:
        shares = supports(spans, verdicts, asking)
        verdicts = [reconsider(verdict, share) for verdict, share in zip(verdicts, shares, strict=True)]
    # "… un kā to izdarīt?": a second question word asks of the first's subject (``samesubject``).
    verdicts = reread(
        sentences[:count], spans, verdicts, lambda piece, k: decide(piece, False, around[k]), OWN_SUBJECT
    )
    for (first, last), verdict in zip(spans, verdicts, strict=True):
        # A problem stated ("Šomēnes neesmu saņēmis rēķinu") asks to have it set right, not for an
        # action to be run: read as an action, it is context (the question beside it may ask for one).
        stated = not any(outright[first : last + 1])
        action = bool(verdict.candidates) and verdict.candidates[0].entry.startswith("action:")
        held = [sentence in told for sentence in sentences[first : last + 1]]
        if all(held) or (action and any(held)):
            verdict = verdict._replace(decision=Decision.ESCALATE, entry=None)
        found.append(
            Unit(
                first,
                last,
                verdict.decision,
                verdict.entry,
                verdict.score,
                verdict.candidates,
                any(asking[first : last + 1]) and not (stated and action),
                verdict.subject,
                verdict.foreign,
                verdict.confidence,
                verdict.everyday,
                verdict.signals is not None and verdict.signals.unknown == 0,
                verdict.elsewhere,
            )
        )
    return found


def _part(text: str, sentences: Sequence[Span], unit: Unit) -> Part:
    span = _span(text, sentences, unit.first, unit.last)
    return Part(
        span.text,
        span.start,
        span.end,
        unit.decision,
        unit.entry,
        unit.score,
        unit.candidates,
        unit.elsewhere,
    )


def _with_question(unit: Unit, decided: Sequence[Unit]) -> Unit:
    """A sentence of context that answers, joined to the question next to it that leans to the
    context's reading (one of its two best entries): the question ("Куда жаловаться?") scores low
    alone, and its context says what it is about. Any other unit: itself."""
    if unit.asks or unit.first != unit.last:
        return unit
    for other in decided:
        neighbour = other.first == other.last and abs(other.first - unit.first) == 1
        leans = unit.entry in [c.entry for c in other.candidates[:2]]
        if neighbour and leans and other.asks and not other.foreign and other.decision is not Decision.ANSWER:
            first, last = min(unit.first, other.first), max(unit.last, other.last)
            return replace(unit, first=first, last=last, asks=True)
    return unit


# A sentence that goes on from the one before ("un …", "и …", "and …").
_JOINED = re.compile(r"^\W*(?:un|и|а|and|also|bet|но|but)\s")


def _overlap(one: Unit, other: Unit) -> bool:
    return one.first <= other.last and other.first <= one.last


def choose(
    text: str,
    sentences: Sequence[Span],
    decided: Sequence[Unit],
    threshold: float,
    told: frozenset[Span] = frozenset(),
) -> tuple[Part, ...]:
    """The parts: sure answers best first (no overlap, no repeated entry, at most three), else the
    best clarification, else one escalation; plus an escalation for each run of questions left
    unplaced, past the cap too: a fourth question goes to a person rather than nowhere."""
    taken: list[Unit] = []
    entries: set[str] = set()
    # A clause that takes its subject from the sentence before it ("… i gde ih vvodit'?") is
    # answered with its own reading (``ellipsis``).
    excluded = STATE_CHANGING | {HUMAN}
    decided = [elliptical(u, sentences, decided, threshold, EXTRA_LEAD, excluded) or u for u in decided]
    # A run read by its story, not by its question (``stories``), answers nothing.
    asked = {
        i
        for i, s in enumerate(sentences[:MAX_SENTENCES])
        if QUESTION.search(shadow(s.text)) and s not in told
    }
    answered = [
        u for u in decided if u.decision is Decision.ANSWER and u.entry and not story_led(u, decided, asked)
    ]
    # A follow-up that its context carries (``follow_up``) is that context's question, not its own.
    # A question about another company's or the state's business names a subject of its own too
    # ("kā nomainīt e-pastu Swedbankas internetbankā?"): the story beside it does not answer for it.
    own = [u for u in decided if u.own_question or (u.asks and u.first == u.last and u.foreign)]
    questions = [u for u in own if not follow_up(u, sentences, decided, threshold)]
    if any(u.asks for u in answered) or questions:
        # Context alone answers only when nothing asks, when what asks names no subject of its own
        # ("Ko man darīt?" after the story that says what it is about), or when it gives the
        # reading a question already leans to (one of its two best entries), unless that question
        # is about another company or subject.
        # ``leaning``: a weak question read with its story, not with a run that its story reads (``stories``)
        leans = leaning(questions, [u for u in decided if not story_led(u, decided, asked)])
        answered = [
            u
            for u in answered
            if u.asks
            or (u.entry in leans and not any(a.asks for a in answered))
            or _with_question(u, decided) is not u
        ]
    answered = [_with_question(u, decided) for u in answered]
    offered: Unit | None = None
    for unit in sorted(answered, key=lambda u: (-u.score, u.last - u.first, u.first)):
        if unit.entry in entries or any(_overlap(unit, t) for t in taken):
            continue
        if taken and unit.entry in STATE_CHANGING:
            offered = offered or unit  # never changes what we store as a further answer: offered
            continue
        if taken and not (unit.asks and (_sure(unit, threshold) or asked_apart(unit, sentences, told))):
            continue  # a further answer must be asked (a second sentence of story adds none), and sure
        taken.append(unit)
        entries.add(str(unit.entry))
        if len(taken) == MAX_PARTS:
            break
    if not taken:
        clarify = [u for u in decided if u.decision is Decision.CLARIFY]
        if clarify:
            best = max(clarify, key=lambda u: (u.score, -(u.last - u.first)))
            return (_part(text, sentences, best),)
        best_unit = max(decided, key=lambda u: u.score, default=None)
        escalated = Unit(
            0,
            len(sentences) - 1,
            Decision.ESCALATE,
            None,
            best_unit.score if best_unit else 0.0,
            best_unit.candidates if best_unit else (),
        )
        return (_part(text, sentences, escalated),)
    if offered and len(taken) < MAX_PARTS and not any(_overlap(offered, t) for t in taken):
        # A request to change state found beside a surer answer ("…, kā arī informēt, cik ilgi
        # glabājat"): asked about with one button, not run on the reading and not dropped.
        choice = (Candidate(str(offered.entry), offered.score),)
        taken.append(replace(offered, decision=Decision.CLARIFY, entry=None, candidates=choice))
    covered = {index for unit in taken for index in range(unit.first, unit.last + 1)}
    parts = sorted(taken, key=lambda u: u.first)
    for index, sentence in enumerate(sentences[:MAX_SENTENCES]):
        single = next(u for u in decided if u.first == index and u.last == index)
        question = bool(QUESTION.search(shadow(sentence.text))) and sentence not in told
        # A request that names a subject of its own ("Gribu zināt, kas skatījies manus rēķinus")
        # asks too, unless an answer given already reads it ("Подпишите меня обратно" after the
        # news are turned back on); a remark with one such word ("не хочу штрафов") does not.
        repeated = bool(single.candidates) and single.candidates[0].entry in entries
        request = single.asks and single.subject >= REQUEST_SUBJECT and not repeated
        # A plea beside an answer ("Could you check?", "Помогите!") names nothing the answer does not.
        plea = single.everyday and bool(taken)
        if index in covered or plea or not (question or request):
            continue
        again = asked_again(index, sentences, decided, taken, threshold)  # ``followup``
        if again or _follows(index, sentence.text, single, taken, decided, threshold):
            covered.add(index)  # read with the answer before it, no clause of the next sentence
            continue
        heir = inherited(
            index, single, decided, parts, entries, lambda u: _sure(u, threshold), STATE_CHANGING
        )
        if heir is not None and len(parts) < MAX_PARTS:
            parts = sorted([*parts, heir], key=lambda u: u.first)
            entries.add(str(heir.entry))
            covered.add(index)
            continue
        # What nothing answered goes to a person, one part for each run of such sentences; a
        # clause ("… un kādi dokumenti vajadzīgi?") with the rest of its sentence before it.
        joined = index > 0 and index - 1 not in covered and bool(_JOINED.match(shadow(sentence.text)))
        first = index - 1 if joined else index
        last = parts[-1] if parts else None
        if last is not None and last.decision is Decision.ESCALATE and last.last >= first - 1:
            parts[-1] = replace(last, last=index)
        else:  # never dropped: the cap holds answers, not what goes to a person
            parts.append(Unit(first, index, Decision.ESCALATE, None, single.score, single.candidates))
        covered.update(range(first, index + 1))
        parts.sort(key=lambda u: u.first)
    return tuple(_part(text, sentences, unit) for unit in sorted(parts, key=lambda u: u.first))


def _sure(unit: Unit, threshold: float) -> bool:
    """Whether ``unit`` is sure enough to be a further answer beside one already given."""
    return unit.score >= threshold + EXTRA_LEAD or unit.confidence >= EXTRA_SURE


def _follows(
    index: int, text: str, single: Unit, taken: Sequence[Unit], decided: Sequence[Unit], threshold: float
) -> bool:
    """Whether a question that names no subject of its own ("Ko darīt?", "Кто это чинит?", "Where
    can I find it?") asks about an answer beside it: read together, the two read as that answer.
    One joined by "and" ("… и как исправить ноябрь?") adds a question of its own."""
    if single.subject >= OWN_SUBJECT or not single.known or _JOINED.match(shadow(text)):
        return False
    answers = [u for u in taken if u.decision is Decision.ANSWER]
    if own_reading(single, answers, threshold, EXTRA_LEAD):
        return False
    return any(
        unit.first <= index <= unit.last
        and unit.candidates[0].entry == answer.entry
        and _overlap(unit, answer)
        for unit in decided
        if unit.candidates
        for answer in answers
    )


def reading(
    text: str,
    parsed: Parsed,
    language: str,
    decide: Decide,
    threshold: float,
    reconsider: Reconsider | None = None,
) -> Reading:
    """The whole message's reading, given how to decide one piece of it."""
    if not parsed.sentences or parsed.automatic:
        if parsed.closing and not parsed.sentences:
            return Reading(language, MessageKind.CLOSING)
        if parsed.greeting and not parsed.sentences and not parsed.automatic:
            return Reading(language, MessageKind.GREETING)
        stripped = text.strip()
        start = text.find(stripped) if stripped else 0
        return Reading(
            language,
            MessageKind.QUESTION,
            (Part(stripped, start, start + len(stripped), Decision.ESCALATE, None, 0.0),),
        )
    text = parsed.source or text
    sentences = window(parsed.sentences, parsed.told)
    decided = units(text, sentences, decide, reconsider, parsed.told)
    parts = choose(text, sentences, decided, threshold, parsed.told)
    if scope.STAFF.search(shadow(text)):
        # A complaint about staff (``scope.STAFF``) asks a person to look into it, not for an operator.
        parts = tuple(
            replace(p, decision=Decision.ESCALATE, entry=None) if p.entry == HUMAN else p for p in parts
        )
    # "Are you a robot?" names a person as a demand for one does (and "sarakstos" meets a list): asked
    # alone it is small talk, whatever its own piece scored.
    who = asks_who_answers(text)
    answered = [part for part in parts if part.decision is Decision.ANSWER]
    if (parsed.smalltalk or who) and all(who and only_asks_who(part.text) for part in answered):
        return Reading(language, MessageKind.SMALLTALK)
    return Reading(language, MessageKind.QUESTION, parts)
