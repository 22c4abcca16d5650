"""Whose news or records a request names: ours, or another body's.

The state-changing actions (stop or start our news, a copy of the data we hold, a correction of
it) are ours to run only for OUR news and OUR records. "Atrakstiet mani no mājas čata", "Отпишите
меня от газеты", "my surname is wrong in the library system, please correct it", "izsniedziet man
datus, ko glabā mana darbavieta" share every word but one with such a request, and that one word
names another holder: a club, a newspaper, a library, an employer, a register. ``scope`` lists the
companies and bodies residents name most; this module reads the grammar instead, so a holder no
list names still counts: a phrase that says whose the news or records are ("X jaunumus", "no X",
"ko glabā X", "X sistēmā", "X's newsletter", "e-mails from X", "in the X system", "the data X
holds", "от X", "из рассылки X", "в X", "у X", "X хранит").

The word X fills the holder's place. It is ours when it is us (the portal, Klientiem.lv, MansDzīb,
"jūsu", "your", "ваш", the property manager), one of our own things (news, e-mails, the list, data,
the account, invoices) or a word that only qualifies them (all, these, monthly, my, the house,
a month): small closed lists of our words. Any other word there names another holder, whatever
its name: no list of other bodies is needed, and a body no one thought of is read the same way.

Only the words of one clause are read together (a comma ends a holder phrase), folded as
``text.words`` folds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from helpdesk.knowledge import once
from helpdesk.knowledge.text import words, wordset


def _listed(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Us, in whose place a holder phrase is ours (stems, matched at the start of a folded word).
_US = _listed(
    "jus jums portal klientiem mansdzib parvaldniek parvald apsaimniek uznemum "
    "вы вас вам ваш портал клиентием мансдзиб управля компан сайт "
    "you manager management company site website bot бот"
)
# Our own things: the news and their list, our e-mails and letters, the data and records we keep,
# the account, the invoices, the contract, consent, and the personal details in them.
_OUR_THINGS = _listed(
    "jaunum zinas zinam zinu zinojum vestul epast sarakst adresat sanemej rekin erekin dati datu "
    "datos datiem informacij sistem datubaz registr kont profil lietotn aplikacij majaslap vietn "
    "ligum sutijum reklam piedavajum akcij pazinojum abonement piekrisan uzvard vard adres personas "
    "рассыл новост писем письм сообщен уведомлен спис данн информац систем баз реестр кабинет "
    "аккаунт профил учетн запис счет квитанц договор подписк реклам акци предложен соглас почт "
    "имейл фамил имя имени адрес "
    "newsl mail email list message update notific data information info record detail "
    "system database register registr profile invoice einvoic bill contract "
    "subscription marketing promo offer advert consent communication correspondence letter name "
    "surname address"
)
# ... and those that are stems of other words ("newspaper", "apple", "accountant"), whole.
_OUR_WORDS = wordset("news app apps account accounts")
# Words that only qualify our things: which, whose ("my", "his"), how often, since when, about
# what (the house, the flat, the meter), what is wrong with them, whose list they are on (the
# recipients', the support's), and the papers that show the right name (a passport is evidence,
# not a holder).
_QUALIFYING = _listed(
    "vis mani manu manus manas mana manam manis mans manai manos sav jaun vien nam menes ikmenes "
    "iknedel nedel regular elektronisk papir majas maja majai dzivokl turpmak lieko nevajadzig "
    "nevelam gad sodien rit nakam sakot pedej ieprieksej sobrid vairs pakalpojum komunal pase "
    "pases apliecib dokument person nepareiz klud abonent otr div vec vin atbalst klientu skaitit "
    "radijum lietotaj kod automat "
    "все всех всем всего вся весь эт сво ежемесяч еженедел регуляр электрон бумажн персональн "
    "личн контактн новостн ненужн лишн постоянн дальнейш будущ дом квартир сегодн завтр следующ "
    "месяц год недел больше пожалуйст навсегд сразу тоже также уже паспорт документ прошл текущ "
    "нов стар получател подписчик неверн неправильн ошиб друг втор поддержк показан счетчик "
    "пользовател код наш автомат сумм бумаг utilit "
    # Where the flat is: a town is no holder ("мой адрес в Риге").
    "riga jurmal daugavpil liepaj jelgav ventspil rezekn valmier ogr latvij latvia риг юрмал "
    "даугавпил лиепа елгав вентспил резекн валмиер огре латви"
)
# Months (stems): "no 1. marta", "с марта", "from March".
_MONTHS = _listed(
    "janv febr mart apr maij jun jul aug sept okt novemb decemb январ феврал март апрел июн июл "
    "август сентябр октябр ноябр декабр january february march april june july august september "
    "october november december"
)
# Short words, and words that are stems of others, that are ours or qualify only as whole words
# ("cit" would be "Citadele", "так" "такси", "work" "workplace").
_WHOLE = wordset(
    "e lv com s a an sia ltd ооо the so sie sos sis siem sim sa ta tas tam tie tos tiem to šo "
    "citu citi cita citas citiem citus darba work may мая май мой моя мое мои "
    "моих моим моей "
    "моего моему мою такой такие таких такую такая их ее его рабочий рабочую рабочего рабочей "
    "рабочем та те тех той тот то это ту у о об обо по с на для за и me us "
    # English qualifiers, whole (with a plural "s"): as stems "new" would be "newspaper", "all"
    # "Allianz", "his" "history".
    "this these that those all any every such my mine further future regular monthly weekly daily "
    "new latest next current old previous personal private contact electronic paper digital "
    "online general service spam unwanted unnecessary annoying constant more now today tomorrow "
    "month year week house building flat apartment immediately once again anymore passport "
    "document moment least everything it them home first last wrong incorrect recipient "
    "subscriber second another other different his her their support helpdesk reading meter "
    "user code our amount"
)
# Words a holder phrase ends before: conjunctions, pleas, thanks, prepositions of purpose or time,
# pronouns ("у меня" is mine, not a holder), verbs that begin a clause of their own.
_END = wordset(
    "un jo bet lai ka ja vai ludzu paldies uz par ar pec kops jau ari tacu "
    "и но а или потому что чтобы если спасибо пожалуйста о об обо по на для с со за к меня мне нас "
    "нам сами сам себя им они оно она "
    "and but or because so please thanks thank as since if about on for with to by via that which "
    "who get receive have be see know longer"
)


def _known(word: str) -> bool:
    """Whether ``word`` (folded) is ours, one of our things or only qualifies them."""
    if word in _WHOLE or word in _OUR_WORDS or (word.endswith("s") and word[:-1] in _WHOLE) or word.isdigit():
        return True
    if len(word) <= 2:
        return True  # a particle, an initial, a stray letter: no holder
    return (
        word.startswith(_US)
        or word.startswith(_OUR_THINGS)
        or word.startswith(_QUALIFYING)
        or word.startswith(_MONTHS)
    )


def _phrase(found: str) -> list[str]:
    """The words that fill a holder's place, up to the first word of ours (which heads it: "no
    jūsu jaunumiem"), an ending word or how it is said ("в Риге указан"), at most four."""
    taken: list[str] = []
    for word in found.split()[:4]:
        if word in _END or _SAYS.fullmatch(word):
            break
        taken.append(word)
        if word.startswith(_US) or word.startswith(_OUR_THINGS) or word in _OUR_WORDS:
            break
    return taken


# Another of ours is not ours: "my other portal", "cits portāls", "другой сайт".
_ELSE = wordset(
    "other another different cits cita citu citam citi citos citas citā citā cito "
    "другой другого другом другая другую другие других иной иного"
)


def _other(phrase: Sequence[str]) -> bool:
    if any(word in _ELSE for word in phrase):
        return any(word.startswith(_US) for word in phrase) or any(not _known(w) for w in phrase)
    return any(not _known(word) for word in phrase)


def _ours(phrase: Sequence[str]) -> bool:
    return _ELSE.isdisjoint(phrase) and any(word.startswith(_US) and word not in _WHOLE for word in phrase)


def _genitive_before(before: str | None, word: str) -> list[str]:
    """The word before one of our things when it reads as whose it is: us ("jūsu jaunumus"), or a
    Latvian genitive that is no verb ("sporta kluba jaunumus"); with "another" before it, another's
    ("cita portāla sistēmā")."""
    if _ours([word]) or (
        _GENITIVE_LV.search(word) and not _VERB_LV.search(word) and word not in _NOT_GENITIVE
    ):
        return [before, word] if before in _ELSE else [word]
    return []


def _russian_genitives(found: str) -> list[str]:
    """The words after one of our things that read as whose it is ("рассылки фитнес клуба",
    "новостей управляющего"): up to an ending word, those that end as a genitive does and not as a
    verb or a participle does ("новости пришли", "фамилия написана")."""
    taken: list[str] = []
    for word in found.split():
        if word in _END:
            break
        if _ours([word]) or (_GENITIVE_RU.search(word) and not _VERB_RU.search(word)):
            taken.append(word)
    return taken


# Verbs of stopping or starting the news, and of taking one off or onto a list (stems).
_OFF = (
    r"atrakst\w*|izsledz\w*|iznem\w*|nonem\w*|atteik\w*|atteic\w*|atsak\w*|"
    r"отпис\w*|отпиш\w*|отказ\w*|исключ\w*|удал\w*|убер\w*|уберите|"
    r"unsubscrib\w*|remove|optout|opt out|take|delete"
)
_ON = (
    r"pierakst\w*|pievieno\w*|ieklau\w*|подпис\w*|подпиш\w*|добав\w*|включ\w*|subscrib\w*|signup|"
    r"add|put me back"
)
# Our things that hold news or records, as heads of a holder phrase ("X jaunumus", "рассылки X").
_THINGS = (
    r"jaunum\w*|zinas|zinam|zinu|zinojum\w*|vestul\w*|epast\w*|sarakst\w*|sistem\w*|datubaz\w*|"
    r"registr\w*|datos|datus|datiem|kont[aus]|konta|konts|profil\w*|majaslap\w*|lietotn\w*|reklam\w*|"
    r"рассыл\w*|новост\w*|писем|письм\w*|сообщен\w*|уведомлен\w*|спис\w*|систем\w*|баз\w*|реестр\w*|"
    r"кабинет\w*|аккаунт\w*|news|newsletters?|e?mails?|emails|mailing|list|messages|updates|"
    r"system|database|register|registry|records|account|app"
)
# Where a personal detail or a record of it is said to be wrong, or kept.
_DETAIL = (
    r"uzvard\w*|vard[asu]?|adres\w*|dati|datus|фамили\w*|имя|имени|отчеств\w*|адрес\w*|данн\w*|"
    r"name|surname|address|details|data|records?|information|"
    r"wrong|incorrect|misspelled|mistake|error|ошибк\w*|неправильн\w*|неверн\w*|nepareiz\w*|kluda\w*"
)
# ... with only how it is said between the detail and the place ("my surname is wrong in X", "моя
# фамилия написана с ошибкой в X"): "my address is wrong, I live in Riga" names a town, no holder.
_SAYING = (
    r"is|are|was|were|has|been|ir|bija|tika|spelled|misspelled|written|shown|listed|stated|wrong|"
    r"incorrect\w*|mistaken|nepareiz\w*|klud\w*|неправильн\w*|неверн\w*|ошибк\w*|написан\w*|"
    r"указан\w*|записан\w*|внесен\w*|ierakstit\w*|noradit\w*"
)
_SAID = (
    rf"{_SAYING}|ar|с|со|the|a|an|my|mans|mana|manu|mani|мой|моя|мою|мои|моего|моей|also|still|ari|тоже|также"
)
_SAYS = re.compile(_SAYING)
_HOLDER_PLACES = tuple(
    re.compile(pattern)
    for pattern in (
        # Off or onto whose list: "atrakstiet mani no X", "отпишите меня от X", "remove me from X",
        # "subscribe me to X", "подпишите меня на X".
        rf"\b(?:{_OFF})(?: \w+){{0,2}}? (?:no|от|из|с|со|from|of|off) ((?:\w+ ?){{1,4}})",
        rf"\b(?:{_ON})(?: \w+){{0,2}}? (?:на|в|to|for|on) ((?:\w+ ?){{1,4}})",
        # Our things from whom: "ziņas no X", "письма от X", "e-mails from X".
        rf"\b(?:{_THINGS}) (?:no|от|из|from) ((?:\w+ ?){{1,4}})",
        # Wrong or kept where: "uzvārds nepareizs X", "фамилию в X", "my surname is wrong in X".
        rf"\b(?:{_DETAIL})(?: (?:{_SAID})){{0,3}}? (?:в|во|in|at|within) ((?:\w+ ?){{1,4}})",
        # Kept by whom: "ko glabā X", "которые хранит X", "хранятся у X", "held by X".
        r"\b(?:glaba|apstrada|храни\w*|хранят|обрабатыва\w*)(?: обо мне| par mani)? ((?:\w+ ?){1,4})",
        r"\b(?:данн\w*|информац\w*|хран\w*|есть)(?: \w+){0,2}? у ((?:\w+ ?){1,4})",
        r"\b(?:held|kept|stored|processed|collected) by ((?:\w+ ?){1,4})",
    )
)
# Whose, before the noun: "ko X glabā" (but "ko jūs glabājat"), "the data X holds", "X's newsletter".
_HOLDER_BEFORE = (
    re.compile(r"\b(?:ko|kurus|kadus|kas) ((?:\w+ ){1,3})(?:par mani )?(?:glaba|apstrada)\b"),
    re.compile(r"\b(?:которые|что) ((?:\w+ ){1,3})(?:обо мне )?(?:хранит|хранят|обрабатыва\w*)\b"),
    re.compile(
        r"\b(?:data|information|records|details)(?: that| which)? ((?:\w+ ){1,3})"
        r"(?:holds?|keeps?|stores?|has|have|process(?:es)?|collected)\b"
    ),
    # The genitive or the name before the thing: "gym s newsletter", "the gym newsletter".
    re.compile(rf"\b(\w+) s (?:{_THINGS})\b"),
    re.compile(rf"\b(?:the|a|an|my|our) (\w+(?: \w+)?) (?:{_THINGS})\b"),
)
# Latvian: the genitive just before our thing ("sporta kluba jaunumus", "bibliotēkas sistēmā");
# Russian: the genitive just after it ("рассылки магазина", "в базе библиотеки").
_BEFORE_THING = re.compile(rf"\b(?:(\w+) )?(\w+) (?:{_THINGS})\b")
_GENITIVE_LV = re.compile(r"(?:a|as|u|es)$")
# ... and Latvian verbs that end as a genitive does: "ievadīja", "atnāca", "sūtīta", "mainīju",
# "esmu", "nesaņemu", "pierakstīties".
_VERB_LV = re.compile(r"(?:[aeiou][jct]a|[aeiou]ju|mu|su|ties)$|^ne\w{3,}u$")
_AFTER_THING_RU = re.compile(rf"\b(?:{_THINGS})((?: [а-я]+){{1,2}})")
_GENITIVE_RU = re.compile(r"(?:а|(?<![ая])я|ы|и|ов|ев|ей|ий|ого|его|ой|ых|их)$")
# Latvian words with a genitive's ending that are verbs, pronouns or particles before a noun.
_NOT_GENITIVE = wordset(
    "gribu ludzu sanemu varu esmu zinu redzu velu saku suta sutu sanema bija ta sava mana musu "
    "tacu nu jau atkal vairs tikai tomer sodien pat vismaz taja kura kuru kada kadu sadu visu "
    "glaba apstrada uzglaba saglaba kaa ka kur"
)
# Latvian locative after a detail: "uzvārdu zemesgrāmatā" (also folded, "uzvardu zemesgramata", when
# it ends the clause or comes before a plea or a verb of fixing).
# (Only at the clause's end or before a plea or a verb of fixing: "aukstā ūdens" is a genitive.)
_LOCATIVE_FOLDED = re.compile(
    r"\b(?:uzvard\w*|vard[asu]?|adres\w*|dati|datus) (\w+[ae])"
    r"(?=$| (?:ludz|paldies|izlabo|labo|nomain|korig))"
)
_LOCATIVE_LV = re.compile(
    r"\b(?:uzvārd\w*|vārd\w*|adres\w*|dati|datus)(?: \w+){0,3}? (\w+(?:ā|ē|ī|ū))"
    r"(?=\s*$|\s+(?:lūdz|ludz|paldies|un|ir|nav|izlabo|labo|nomain|korig))"
)
# Russian past verbs and the like after our thing ("новости пришли"): no genitive.
_VERB_RU = re.compile(r"(?:ли|ла|ло|ть|ся|сь|(?:[ая]н|ен|ит|ут|ат|ят)[аыо])$")
# Clauses: a holder phrase does not run over punctuation (the dot of "Klientiem.lv" is no end).
_CLAUSE = re.compile(r"[,;:!?()\[\]\n—–]|\.(?:\s|$)")


@dataclass(frozen=True, slots=True)
class Holders:
    """Whom a text names as the holder of the news or records it is about."""

    other: bool = False  # another body's news or records
    ours: bool = False  # ours, by name ("jūsu jaunumi", "your mailing list", "в вашей системе")
    phrase: tuple[str, ...] = ()  # the first other holder's words, to show why


_ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def _clauses(texts: Iterable[str]) -> list[str]:
    found = []
    for text in texts:
        text = _ADDRESSES.sub(" ", text)
        for clause in _CLAUSE.split(text):
            joined = " ".join(words(clause))
            if joined:
                found.append(joined)
    return found


def read(*texts: str) -> Holders:
    """Whom ``texts`` (the resident's words, and the same converted to Cyrillic when they were
    Russian in Latin letters) name as the holder of what they ask about. A text given twice (the
    words are mostly their own conversion) is read once: its phrases again change neither whether
    one is ours nor which other one comes first."""
    texts = tuple(dict.fromkeys(texts))
    ours = False
    phrases: list[tuple[str, ...]] = []
    for clause in _clauses(texts):
        phrases.extend(_clause_phrases(clause))
    for text in texts:
        for clause in _CLAUSE.split(text.lower()):
            phrases.extend(_locatives(clause))
    first: tuple[str, ...] = ()
    for phrase in phrases:
        if phrase and _ours(phrase):
            ours = True
        elif _other(phrase):
            first = first or tuple(phrase)
    return Holders(bool(first), ours, first)


@once.per_message  # a sentence's clauses are read again in each run of sentences around it
def _clause_phrases(clause: str) -> tuple[tuple[str, ...], ...]:
    """The holder phrases of one clause (the words of each), in order; tuples, as what
    :mod:`once` remembers is shared by every reader of the message."""
    phrases: list[list[str]] = []
    phrases.extend(_phrase(match.group(1)) for place in _HOLDER_PLACES for match in place.finditer(clause))
    phrases.extend(
        match.group(1).split()
        for place in _HOLDER_BEFORE
        for match in place.finditer(clause)
        if _END.isdisjoint(match.group(1).split())
    )
    phrases.extend(
        _genitive_before(match.group(1), match.group(2)) for match in _BEFORE_THING.finditer(clause)
    )
    phrases.extend(_russian_genitives(match.group(1)) for match in _AFTER_THING_RU.finditer(clause))
    phrases.extend(
        [match.group(1)] for match in _LOCATIVE_FOLDED.finditer(clause) if not match.group(1).startswith("ne")
    )
    return tuple(tuple(phrase) for phrase in phrases)


@once.per_message
def _locatives(clause: str) -> tuple[tuple[str, ...], ...]:
    """The Latvian locatives after a detail in one clause of the lower-cased text (``_LOCATIVE_LV``)."""
    return tuple(tuple(words(match.group(1))) for match in _LOCATIVE_LV.finditer(clause))
