"""How a word sounds: a coarse key that spellings by ear and Latgalian forms share with the word.

Russian writers spell by sound: unstressed "о"/"а" and "е"/"и"/"я" swap ("оплотил", "прекладываю"),
final consonants are devoiced ("долк"), "ы" follows "ц" ("квитанцыя"), "ё" after a hushing
consonant is written "о" ("щотчик"), double letters are dropped or added. Latgalian writers
write their own vowels for the Latvian ones (Latgalian "uo", "o" for "ā", "a"; "ū" for "o";
"y" for "i"; "ei" for "ī"; "ie"/"ī"; "iu"/"yu" for "ū"; "a" for an unstressed "e": "rodejumus"
rādījumus, "dzeivūklis" dzīvoklis, "nūsyuteit" nosūtīt, "Nazynu" nezinu), so a Latvian key keeps
the consonants and only marks where vowels stand.

The index gives a word's key (:func:`sound`) to every key it knows and uses it only for a query
key it does not know, and only when the sound names exactly one known key: a correct word is never
rewritten, and two known words that sound alike leave the unknown one unknown (see
:class:`helpdesk.knowledge.index.LanguageIndex`). Libraries were considered: ``fonetika`` codes
Russian consonants into broad Soundex classes (more words collide) and knows no Latvian;
``jellyfish`` is English only.
"""

from __future__ import annotations

import re

MIN_KEY = 4  # a shorter stem has too many neighbours that sound alike

# Russian: "ё" after a hushing consonant is written "о" ("щотчик", "жолтый"), and "сч"/"зч" are
# said as "щ"; then vowels fall into what an unstressed syllable leaves of them, consonants lose
# their voice where they are said voiceless, and "щ" is "ш". Applied to stems (no ending to worry about).
_RU_HUSHED_O = re.compile(r"(?<=[жшщчц])о")
_RU_SCH = re.compile(r"[сз]ч")
_RU_LETTERS = str.maketrans(
    {
        "о": "а",
        "я": "а",
        "е": "и",
        "э": "и",
        "ы": "и",
        "ю": "у",
        "щ": "ш",
        "ь": "",
        "ъ": "",
    }
)
_RU_VOWELS = "аиуй"
# A voiced consonant loses its voice at the end and before a voiceless one ("долк", "лошка"); at
# the start of a stem it keeps it, so "долг" and "только" stay apart.
_RU_DEVOICED = re.compile(r"[бгдзвж](?=[пфктшсхцчщ]|$)")
_RU_VOICELESS = dict(zip("бгдзвж", "пктсфш", strict=True))

# Latvian and Latgalian (folded, so without marks): every run of vowels is one vowel sound, and
# "j" between vowels ("rodejumus", "radijumus") belongs to it; but the diphthongs "au" and "ai",
# which the dialect keeps, stay apart ("atsakos" is not "atsauc").
_LV_DIPHTHONGS = {"au": "W", "ai": "Y"}
_LV_DIPHTHONG = re.compile("|".join(_LV_DIPHTHONGS))
_LV_VOWEL_RUN = re.compile(r"[aeiouy]+(?:j[aeiouy]+)*")
# A Latgalian reflexive verb puts "sa" after its prefix ("pīsaraksteit" = pierakstīties,
# "nūsasyuteit"): the Latvian form has the ending "-ties" the stemmer strips anyway.
_LG_REFLEXIVE = re.compile(r"^(pi|pie|nu|no|at|iz|aiz|ap|uz|sa|ais|is|ot|pa)sa(?=[^aeiouy])")
_DOUBLE = re.compile(r"(.)\1+")


def sound(stem: str, language: str, shortest: int = MIN_KEY) -> str | None:
    """The sound key of one stem (a key of :func:`helpdesk.knowledge.text.key`), or None for a
    language without one or a stem shorter than ``shortest`` (the index keys its own words from
    three letters, so that a query stem that sounds like a short known one stays ambiguous)."""
    if len(stem) < shortest or stem.isdigit():
        return None
    if language == "ru":
        spoken = _RU_SCH.sub("щ", _RU_HUSHED_O.sub("е", stem))
        spoken = _RU_DEVOICED.sub(lambda found: _RU_VOICELESS[found.group(0)], spoken).translate(_RU_LETTERS)
        return _DOUBLE.sub(r"\1", spoken).rstrip(_RU_VOWELS) or None
    if language == "lv":
        spoken = _LV_DIPHTHONG.sub(lambda found: _LV_DIPHTHONGS[found.group(0)], _DOUBLE.sub(r"\1", stem))
        spoken = _LV_VOWEL_RUN.sub("V", spoken)
        return spoken.rstrip("V") or None
    return None


def sounds(stem: str, language: str) -> tuple[str, ...]:
    """The sound keys a query stem may have: its own, and for Latvian the Latgalian reflexive
    form's ("pisarakste" as "pirakste")."""
    found = [sound(stem, language)]
    if language == "lv":
        plain = _LG_REFLEXIVE.sub(r"\1", stem)
        if plain != stem:
            found.append(sound(plain, language))
    return tuple(dict.fromkeys(k for k in found if k))


# Everyday Latgalian words (folded) that no Latvian or English word is spelled as, with their
# Latvian form: the question words, pronouns and verbs of a request, which a sound key is too short
# to carry. Written from the dialect, not from any resident's message.
LATGALIAN = {
    "kai": "ka",  # kā (how)
    "cyk": "cik",
    "ku": "ko",  # kū
    "kab": "lai",
    "nazynu": "nezinu",
    "zynu": "zinu",
    "zynuot": "zinat",
    "nazynuot": "nezinat",
    "lyudzu": "ludzu",
    "paldis": "paldies",
    "lobdin": "labdien",
    "lobdina": "labdien",
    "muns": "mans",
    "muna": "mana",
    "munu": "manu",
    "myusu": "musu",
    "jiusu": "jusu",
    "jius": "jus",
    "itys": "sis",
    "itu": "so",  # itū
    "kaids": "kads",
    "kaida": "kada",
    "kaidu": "kadu",
    "dreiz": "driz",
    "vysu": "visu",
    "vysus": "visus",
    "dorit": "darit",
    "dareit": "darit",
    "navaru": "nevaru",
    "nasanuok": "nesanak",
}
# Two-word greetings that become one: "Lobs reits" is "labrīt".
LATGALIAN_PHRASES = ((re.compile(r"\blobs reits\b"), "labrit"), (re.compile(r"\blobs vakars\b"), "labvakar"))
