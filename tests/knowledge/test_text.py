"""Normalisation: what residents type is folded to the same keys as what the knowledge base says."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.text import NEGATION, fold, key, keys, requests_action, stem_lv, undigraph, words


def test_fold_lowers_and_drops_latin_diacritics_but_keeps_cyrillic_letters() -> None:
    assert fold("Rēķins ĀČĒĢĪĶĻŅŠŪŽ") == "rekins acegiklnsuz"
    assert fold("Ёлка ЁЖ") == "елка еж"  # ё -> е
    assert fold("йогурт Й") == "йогурт й"  # й is a letter of its own, not и with a mark


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("reekjins", "rekins"), ("shis", "sis"), ("zhurka", "zurka"), ("chetri", "cetri"), ("kaa", "ka")],
)
def test_digraph_habits_of_keyboards_without_diacritics(typed: str, plain: str) -> None:
    assert undigraph(typed) == plain


def test_joined_spellings_become_one_word() -> None:
    assert words("E-pasts, e pasts un epasts") == ["epasts", "epasts", "un", "epasts"]
    assert words("Don't sign up, log-in") == ["dont", "signup", "login"]
    assert keys("personas kods", "lv") == keys("personaskods", "lv")


@pytest.mark.parametrize(
    "form", ["rēķins", "rēķinu", "rēķinā", "rēķiniem", "rēķini", "rekins", "reekjinu", "RĒĶINS"]
)
def test_latvian_inflections_and_spellings_share_one_key(form: str) -> None:
    assert keys(form, "lv") == ["rekin"]


def test_latvian_stemmer_brings_verb_forms_together() -> None:
    assert key("glabajat", "lv") == key("glabat", "lv")
    assert key("ievadit", "lv") == key("ievadiju", "lv")
    assert stem_lv("dzivoklis") == stem_lv("dzivokli") == stem_lv("dzivoklim")
    assert stem_lv("kas") == "kas"  # too short to strip: no three-letter stems from two letters


@pytest.mark.parametrize(
    "form",
    ["skaitītājs", "skaitītāja", "skaitītāju", "skaitītāji", "skaitītājiem", "skaitītājus", "skaititaajam"],
)
def test_every_case_of_an_agent_noun_keeps_one_stem(form: str) -> None:
    """Query "kā iesniegt skaitītāja rādījumus" must meet "skaitītāju rādījumi" exactly, not by prefix."""
    assert keys(form, "lv") == keys("skaitītājs", "lv") == ["skaitit"]


def test_latvian_negation_prefix_is_kept_apart() -> None:
    assert keys("nevēlos saņemt jaunumus", "lv") == [NEGATION, *keys("vēlos saņemt jaunumus", "lv")]
    assert keys("nav rēķina", "lv") == [NEGATION, "rekin"]


def test_stopwords_dropped_question_words_kept() -> None:
    assert keys("Labdien, lūdzu, kā man pieslēgties?", "lv") == ["ka", key("piesleg" + "ties", "lv")]
    assert keys("kurš rēķins", "lv") == ["rekin"]  # "kurš" (which) is not "kur" (where)


@pytest.mark.parametrize(("form", "stem"), [("счёт", "счет"), ("счета", "счет"), ("счетом", "счет")])
def test_russian_folding_and_snowball_stemming(form: str, stem: str) -> None:
    assert key(fold(form), "ru") == stem
    assert keys("Квитанцию", "ru") == keys("квитанции", "ru")


def test_russian_keeps_latin_product_names() -> None:
    assert keys("Как войти по eID?", "ru") == ["как", key("войти", "ru"), "eid"]
    assert keys("не приходит счёт", "ru")[0] == NEGATION


def test_english_stemming_and_negation() -> None:
    assert keys("Invoices", "en") == keys("invoice", "en")
    assert keys("readings", "en") == ["read"]
    assert keys("I don't want the newsletter", "en") == [NEGATION, "want", key("newsletter", "en")]


def test_each_index_reads_only_its_script() -> None:
    assert keys("счёт invoice", "en") == ["invoic"]
    assert keys("счёт rēķins", "lv") == ["rekin"]
    assert keys("счёт email", "ru") == ["счет", "email"]


def test_which_is_not_how_and_personal_is_not_a_person() -> None:
    assert key("какой", "ru") == key("какие", "ru") == "какой" != key("как", "ru")
    assert key("personal", "en") != key("person", "en")


def test_twice_in_words_is_one_key() -> None:
    assert keys("samaksāju divas reizes", "lv")[-1] == keys("divreiz", "lv")[0]
    assert keys("оплатил два раза", "ru")[-1] == keys("дважды", "ru")[0]
    assert keys("paid two times", "en")[-1] == keys("twice", "en")[0]


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        ("atsūtiet man rēķinu", True),
        ("izlabojiet manu uzvārdu", True),
        ("пришлите счёт", True),
        ("исправьте фамилию", True),
        ("nevaru ieiet portālā", False),  # "ieiet" is "to go in", not an imperative
        ("pāriet uz e-rēķinu", False),
        ("какие данные вы храните", False),  # "храните" after "вы" is the present tense
        ("kā atrakstīties", False),
    ],
)
def test_requests_action_reads_imperatives(text: str, requested: bool) -> None:
    assert requests_action(text) is requested
