"""Text normalisation for matching: how residents type, folded to comparable keys.

People write Latvian without diacritics (``rekins``), with the old typewriter habits (``reekjins``,
``shis``), inflected (``rēķinu``, ``rēķinā``, ``rēķiniem``), and Russian with or without ``ё``.
Both the knowledge base and the query go through the same pipeline, so whatever it folds
together matches. Keys are per language: Cyrillic text only ever meets the Russian index.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from helpdesk.core.text import fold as fold  # re-exported: the matcher and handlers fold with it
from helpdesk.knowledge import once
from helpdesk.knowledge.sounds import LATGALIAN, LATGALIAN_PHRASES
from helpdesk.knowledge.ukrainian import russian_phrases, russian_word


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words shortened with a dot before a name or a number in an address or a date ("ул. Vienības",
# "кв. 17", "tālr. 67 000 111", "Kr. Valdemāra", "2024. g. 5. maijā"), folded: no sentence ends there.
_ABBREVIATIONS = wordset(
    "ул кв пр д г им тел т св ст пл бул наб пер iel ielas talr tel nr dz st str pr kr k g bulv pag "
    "nov mob apt flat vs mr mrs ms dr prof t.i t.sk piem u.c utt т.е т.д т.к т.п и.т.д"
)
_WORD_BEFORE = re.compile(r"[\w.]*$")


def abbreviated(text: str, dot: int) -> bool:
    """Whether the dot at ``text[dot]`` ends a shortened word ("ул.", "Nr.") or an initial ("А.
    Петров", "J. Bērziņš") rather than a sentence."""
    found = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    before = found.group(0) if found else ""
    if len(before) == 1 and before.isupper():
        return True
    return fold(before).strip(".") in _ABBREVIATIONS


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN_LETTER = re.compile(r"[a-zA-Z]")
# Addresses and links are in no language: "klientiem.lv", "janis@inbox.lv", "https://…".
ADDRESS = re.compile(r"\S+@\S+|\S+\.(?:lv|com|ru|eu|net|org|ee|lt)\b\S*|https?://\S+")
LATVIAN_LETTERS = re.compile(r"[āčēģīķļņšūžŗ]", re.IGNORECASE)

# The digraph habits of people typing Latvian on a keyboard without diacritics, applied after
# diacritics are folded away (so "ā", "aa" and "a" all end up as "a"). Longest first.
_DIGRAPHS = (
    ("aa", "a"),
    ("ee", "e"),
    ("ii", "i"),
    ("uu", "u"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("kj", "k"),
    ("gj", "g"),
    ("lj", "l"),
    ("nj", "n"),
)
_DIGRAPH = re.compile("|".join(source for source, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)

# Folded Latvian endings, longest first: a light stemmer only has to bring the inflected forms of
# one word together; it may over-stem, because the same function stems the knowledge base.
# No ending starts with "aj": the verb tail below strips it, so every case of an agent noun
# ("skaitītājs", "skaitītāja", "skaitītāju", "skaitītājiem") keeps one stem ("skaitit"); with
# "aja"/"ajs" here as well, some cases lost two syllables and some one.
_LV_SUFFIXES = tuple(
    sorted(
        wordset(
            "amies aties eties ities oties iem ies ties ams ama ami amo ats ata "
            "ais am em im um as es is us os ai ei ie ot at et it ut oj a e i u s o "
            "iet ojiet ejiet ieties ejos ojos ijos t"
        ),
        key=lambda suffix: (-len(suffix), suffix),
    )
)
_LV_MIN_STEM = 3
_LV_VERB_TAILS = ("at", "et", "it", "ot", "ut", "aj", "ej", "ij", "oj")

# Words that carry no intent on their own (already folded). Question words stay: "kad" (when)
# and "ka" (how) tell a deadline question from a how-to question.
STOPWORDS: dict[str, frozenset[str]] = {
    "lv": wordset(
        "es man mani mans mana manu manas manis maniem manam manai manos manus mums musu mes jus jums "
        "jusu vins vina vini vinu vinam vinai tu tev tavs tiek tika tiks tiku tiktu bus butu tapis "
        "un vai bet ari jau vel tad tas ta to tie tam tur sis so si sie sai sim tos tiem sos siem "
        "ir bija ira esmu esat ludzu paldies labdien sveiki sveicinati cau hei labrit labvakar "
        "lai uz no ar par pie pec pa pret bez "
        "kads kada kadu sis sai savs sava savu savas savi savam savai savos savus "
        "kurs kura kuru kuram kurai kuri kuras kurus kuriem kuram kuros "
        "vairs tikai tagad loti gan tacu pat kaut "  # adverbs and particles that carry no intent
        "vispar tiesam pavisam nu "  # ... and the ones that only stress ("kādi dati jums vispār ir?")
        "notiek noticis notika "  # "what happens/happened": names no subject ("nenotiek" stays)
        # "I don't know": no subject; folded, "nezinu" is "ne" + "ziņu" (news) and read as a withdrawal
        "nezinu nezini nezina nezinam nezinat nezinaju nezinaja nezinajam nezinot nezinatu "
        "komats punkts jautajuma izsaukuma zime"  # punctuation spoken to voice-to-text
    ),
    "en": wordset(
        "i me my mine we us our you your he she it its they them their a an the "
        "and or but also so then is are was were be been am do does did "
        "please thanks thank hello hi dear hey good morning evening "
        "to of in on at for with from by about into this that these those there here "
        "just some any go goes comma actually really anyway"
    ),
    "ru": wordset(
        "я мне меня мой моя мое мои мы нам нас наш вы вам вас ваш ваша он она оно они их его ее ты "
        "и или но а же ли бы тоже уже еще то это этот эта эти тот та там тут "
        "есть был была было быть пожалуйста спасибо здравствуйте привет добрый день вечер утро "
        "в во на с со к ко по о об от до из у за для при про без над под "
        "свой своя свое свои свою запятая точка вопросительный восклицательный знак "
        "вообще просто"  # particles that only stress ("а зачем вам вообще мой код?")
    ),
}

# Question words tell intents apart ("kad" deadline vs "kā" how-to) but must not carry a match alone.
QUESTION_WORDS: dict[str, frozenset[str]] = {
    "lv": wordset("ka ko kur kad kapec kadel cik kas vai var lidz"),
    "en": wordset("how where when why what who which can could do does"),
    "ru": wordset("как где куда откуда когда почему зачем сколько кто что какой какая какие можно ли"),
}

# The question words of someone asking how something works rather than asking for it to be done.
ASKING_WORDS: dict[str, frozenset[str]] = {
    "lv": wordset("ka kur kapec kad cik"),
    "en": wordset("how where why when"),
    "ru": wordset("как где куда откуда почему зачем когда"),
}

# Asking how, where, when or why (folded): a sentence that starts so, or a question ("?") that holds
# such a word and asks nothing to be done. "ka" is Latvian "how" (kā) and "that" (ka) once the
# diacritics are gone, and "lai zinu, kad …" is no question: inside a sentence they count only there.
_HOW = wordset(
    "ka kur kapec kadel kad cik how where why when как где куда почему зачем когда kak gde kuda pochemu "
    "zachem kogda"
)
_HOW_START = re.compile(
    r"^\W*(?:(?:nu|un|bet|a|а|и|но|so|and|but)\W+)?(?:ka|kai|ko|kas|kur|cyk|kapec|kadel|kad|cik|how|what|where|"
    r"why|when|как|что|чем|где|куда|почему|зачем|когда|kak|chto|gde|kuda|pochemu|zachem|kogda)\b"
)


def asks_how(text: str) -> bool:
    """Whether ``text`` asks how, where, when or why something is done, rather than asking for it:
    "kā izlabot adresi?" is a question about a correction, not a request for one."""
    folded = fold(text)
    if _HOW_START.match(folded):
        return True
    return "?" in text and not _HOW.isdisjoint(words(text)) and not requests_action(text)


_snowball = {
    "ru": snowballstemmer.stemmer("russian"),
    "en": snowballstemmer.stemmer("english"),
}


def undigraph(token: str) -> str:
    return _DIGRAPH.sub(lambda match: _DIGRAPH_MAP[match.group(0)], token)


# Spellings of one word that the tokenizer would split: "e-pasts"/"e pasts" -> "epasts", "e-mail",
# "sign up" -> "signup", "don't" -> "dont". Each with the strings one of which any match holds: a
# text with none of them is left as it is without being searched (most pieces of a mail).
_JOINS = (
    (("e-", "e‐", "e‑", "e "), re.compile(r"\be[-‐‑ ]+(?=[a-z])"), "e"),
    (("sign", "log", "opt"), re.compile(r"\b(sign|log|opt)[- ]+(up|in|on|out)\b"), r"\1\2"),
    (("n'", "n’"), re.compile(r"n['’]t\b"), "nt"),
    (("personas ",), re.compile(r"\bpersonas (?=kod)"), "personas"),  # also written "personaskods"
    (("kapnu ",), re.compile(r"\bkapnu (?=telp)"), "kapnu"),  # "kāpņu telpa" and "kāpņutelpa"
    (("vannas",), re.compile(r"\bvannas(?=istab)"), "vannas "),  # "vannasistaba" is "vannas istaba"
    # The portal's own names are the portal (``synonyms.yaml``): "klientiem.lv" is no rarer word.
    (("klientiem", "mansdzib"), re.compile(r"\b(klientiem|mansdzib)[ .]lv\b"), r"\1"),
    # "twice" in words: the knowledge base says "divreiz"/"дважды"/"twice".
    ((" reizes",), re.compile(r"\b(?:divas|divi|2) reizes\b"), "divreiz"),
    ((" раза",), re.compile(r"\b(?:два|2) раза\b"), "дважды"),
    ((" times",), re.compile(r"\b(?:two|2) times\b"), "twice"),
)
NEGATION = "ne"  # the key every negation becomes, so "nevēlos" and "vēlos" stay apart
NEGATIONS = {
    "en": wordset("not no never dont didnt doesnt cant cannot wont isnt havent hasnt arent wasnt"),
    "ru": wordset("не нет ни никогда"),
    "lv": wordset("ne nav nekad"),
}


def words(text: str) -> list[str]:
    """Folded words of ``text`` (letters and digits).

    Remembered until :func:`forget`: one piece of a message is read for its keys in each index
    searched, for a request and for a how-to question, and for the operations it names."""
    return list(_words(text))


@once.per_message
def _words(text: str) -> tuple[str, ...]:
    folded = fold(text)
    for needles, pattern, replacement in _JOINS:
        if any(needle in folded for needle in needles):
            folded = pattern.sub(replacement, folded)
    if "lobs " in folded:
        for pattern, replacement in LATGALIAN_PHRASES:
            folded = pattern.sub(replacement, folded)
    tokens = _TOKEN.findall(folded)
    if CYRILLIC.search(folded):  # Ukrainian words in Russian ("як", "рахунок"): ``ukrainian``
        tokens = _TOKEN.findall(russian_phrases(folded))
        tokens = [russian_word(token) for token in tokens]
    return tuple(LATGALIAN.get(token, token) for token in tokens)


def forget() -> None:
    """Drop the words remembered of earlier texts: the matcher reads each message afresh, so what
    it remembers of a message is only ever used for that message."""
    once.forget()


# Negated words too short for the length rule below: "nevar" is "can't" as much as "nevaru" is.
_LV_SHORT_NEGATED = wordset("nevar")


def _negated_lv(token: str) -> bool:
    """A Latvian word that is a negation prefix on a word ("nevaru" = "ne" + "varu")."""
    return token.startswith("ne") and (len(token) > 5 or token in _LV_SHORT_NEGATED)


def stem_lv(token: str) -> str:
    """Strip one Latvian ending (and the negation prefix: ``keys`` keeps the negation apart)."""
    if _negated_lv(token):
        token = token[2:]
    for suffix in _LV_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= _LV_MIN_STEM:
            token = token[: -len(suffix)]
            break
    # A verb stem often keeps a second ending ("glabāti" -> "glabat", "ievadīju" -> "ievadij").
    for suffix in _LV_VERB_TAILS:
        if token.endswith(suffix) and len(token) - len(suffix) >= _LV_MIN_STEM + 1:
            return token[: -len(suffix)]
    return token


# Words the Snowball stemmers would fold into a different word: "какой" (which) into "как" (how),
# so a deadline question ("какой срок") met every how-to; "personal" into "person" (a human).
_UNSTEMMED = {
    "ru": {
        **{form: "какой" for form in wordset("какой какая какое какие какую каком каким каких какому")},
        # "весь" (all): the stemmer leaves "всех", "всем", "весь" apart from "все", so "копии всех
        # счетов" did not meet "все счета" ("всего", also "in total", stays out).
        **{form: "все" for form in wordset("весь вся все всю всех всем всеми")},
    },
    "en": {"personal": "personal", "personally": "personal"},
}


@lru_cache(maxsize=50_000)
def key(token: str, language: str) -> str:
    """The comparable form of one folded word in one language's index."""
    if token.isdigit():
        return token
    kept = _UNSTEMMED.get(language, {}).get(token)
    if kept is not None:
        return kept
    if language == "ru":
        return str(_snowball["ru"].stemWord(token))
    if language == "en":
        return undigraph(str(_snowball["en"].stemWord(token)))
    return stem_lv(undigraph(token))


def keys(text: str, language: str) -> list[str]:
    """Content keys of ``text`` for ``language``: stopwords dropped, a negation kept as ``NEGATION``,
    order kept, duplicates dropped."""
    known = _KEYS_OF.setdefault(language, {})
    if len(known) >= _KEYS_KEPT:
        known.clear()
    seen: dict[str, None] = {}
    for token in words(text):
        found = known.get(token)
        if found is None:
            found = known[token] = _token_keys(token, language)
        for each in found:
            seen[each] = None
    return [k for k in seen if k]


# The keys each folded word adds, per language (remembered, as :func:`key` is: words repeat, and a
# long mail's pieces read each of its words in two or three indexes).
_KEYS_OF: dict[str, dict[str, tuple[str, ...]]] = {}
_KEYS_KEPT = 50_000


def _token_keys(token: str, language: str) -> tuple[str, ...]:
    """The keys one folded word adds, in order."""
    plain = undigraph(token)
    if token in NEGATIONS.get(language, ()) or plain in NEGATIONS.get(language, ()):
        return (NEGATION,)
    stop = STOPWORDS.get(language, frozenset())
    if token in stop or plain in stop:
        return ()
    if len(token) < 2 and not token.isdigit():
        return ()
    if language != "ru" and CYRILLIC.search(token):
        return ()  # only the Russian index reads Cyrillic
    if language == "ru" and not CYRILLIC.search(token):
        if token in STOPWORDS["lv"] or token in STOPWORDS["en"]:
            return ()  # "отпишите меня, lūdzu, no jaunumiem": a Latvian "please" asks for nothing
        return (plain,)  # "email", "eID", "PDF" inside Russian text
    if language == "lv" and _negated_lv(plain):
        return (NEGATION, key(token, language))
    return (key(token, language),)


# Prefixes of the verb "iet" (to go): "ieiet", "aiziet", "pāriet" end like an imperative but are not.
_LV_IET_PREFIXES = wordset("ie aiz pie iz no par at sa uz pa ap ne nepie neie")
_RU_IMPERATIVE_ENDINGS = ("йте", "ьте", "ите")


@once.per_message  # each index searched asks it of the same piece
def requests_action(text: str) -> bool:
    """Whether ``text`` asks for something to be done: a Latvian 2nd person plural imperative
    ("atsūtiet", "atrakstiet", "izlabojiet") or a Russian one ("пришлите", "исправьте"). Russian
    "-ите" is also the present tense ("вы храните"), so it counts only without "вы".
    """
    tokens = words(text)
    for token in tokens:
        if not token.isascii() and CYRILLIC.search(token):  # (an ASCII word holds no Cyrillic)
            if token.endswith(_RU_IMPERATIVE_ENDINGS) and len(token) >= 5 and "вы" not in tokens:
                return True
        elif token.endswith("iet") and len(token) >= 6 and undigraph(token[:-3]) not in _LV_IET_PREFIXES:
            return True
    return False


@lru_cache(maxsize=4096)  # a piece of a mail is folded for each list that reads it
def shadow(text: str) -> str:
    """``text`` folded one character at a time (lower case, no diacritics, ``ё``→``е``), so that a
    pattern found in it has the same offsets in the original (ASCII text: its lower case, the same)."""
    return text.lower() if text.isascii() else text.translate(_FOLDED)


class _Folded(dict[int, str]):
    """Each character's folded form, worked out when first met (``str.translate`` reads it: every
    piece of a mail is folded again, and a table lookup per character is cheaper than a call)."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _CHARS_KEPT:
            self.clear()
        self[code] = found = _fold_char(chr(code))
        return found


def _fold_char(char: str) -> str:
    folded = fold(char)
    return folded[0] if len(folded) == 1 else char.lower()[:1] or " "


_CHARS_KEPT = 4096
_FOLDED = _Folded()
