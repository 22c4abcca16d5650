"""Another sender named with a word the knowledge base has never seen.

"MyFitness atsūtīja rēķinu par janvāri", "Kvartāls sent me a bill twice", "ЖЭК прислал счёт": a
sender of a bill or a letter named by a name no list of ``scope`` holds and no phrasing uses is
another company, whose bill the portal does not handle. Every other word of the sentence fits an
entry (an invoice sent, a bill to pay), so only the name says it is a near miss. Our own senders
are words the knowledge base knows ("pārvaldnieks atsūtīja", "you sent me", "the portal sent"), and
a person is a stopword ("he", "она") or one of the people close to the resident ("vīrs", "сын").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from helpdesk.knowledge.index import LanguageIndex
from helpdesk.knowledge.scope import Mentions
from helpdesk.knowledge.text import NEGATIONS, QUESTION_WORDS, STOPWORDS, key

# A word, then (a pronoun of who got it and) a past or present verb of sending or charging.
_SENT = re.compile(
    r"(?<![\w.-])([^\W\d]\w{2,}) (?:(?:man|mums|mani|мне|нам|меня|me|us) )?"
    r"(?:atsutija|atsuta|nosutija|sutija|izrakstija|izraksta|piestadija|"
    r"прислал\w*|присылает|выставил\w*|выставляет|отправил\w*|"
    r"sent|sends|charged|charges|billed|emailed|invoiced)\b"
)

# People close to the resident, whom the knowledge base need not know: they forward our invoices.
_PEOPLE = re.compile(
    r"(?:vir[sa]|viram|sieva|del[sa]|meita|kaimin\w*|bral\w*|mas[ae]?|mamm\w*|tet[is]\w*|draug\w*|"
    r"koleg\w*|муж\w*|жен[аы]|сын\w*|доч\w*|сосед\w*|брат\w*|сестр\w*|мам\w*|пап\w*|друг\w*|"
    r"коллег\w*|son|husband|wife|daughter|brother|sister|mother|father|mum|mom|dad|friend|colleague|"
    r"neighbou?r|partner)"
)


def knows(indexes: Mapping[str, LanguageIndex], word: str) -> bool:
    """Whether the knowledge base knows a folded word in some language (its phrasings' words, their
    typos and sounds, and the stopwords, question words and negations)."""
    for language, index in indexes.items():
        if word in STOPWORDS.get(language, ()) or word in QUESTION_WORDS.get(language, ()):
            return True
        if word in NEGATIONS.get(language, ()) or index.expand(key(word, language)):
            return True
    return False


def unknown_sender(folded: str, indexes: Mapping[str, LanguageIndex]) -> bool:
    """Whether folded text names the sender of a bill or a letter with a word the knowledge base
    does not know (:func:`knows`)."""
    return any(
        not _PEOPLE.fullmatch(match.group(1)) and not knows(indexes, match.group(1))
        for match in _SENT.finditer(folded)
    )


def mentions(folded: str, indexes: Mapping[str, LanguageIndex]) -> Mentions:
    """``scope.Mentions`` of folded text, with an unknown sender (:func:`unknown_sender`) read as
    another company named."""
    found = Mentions.of(folded)
    if found.named or not _SENT.search(folded) or not unknown_sender(folded, indexes):
        return found
    return replace(found, named=True)
