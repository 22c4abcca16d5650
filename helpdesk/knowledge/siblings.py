"""Siblings: entries of one topic that share most of their words and differ in one meaning.

"I paid but the portal still shows a debt" and "how do I pay online" share paying, the invoice,
the bank and the portal; "until which date are readings due" and "how do I submit readings" share
submitting readings. The score weighs every shared word alike, so a message that names the shared
subject with more words of one sibling's phrasings wins for that sibling even when it says the
other's distinct meaning (already paid; until when). A person reads the distinct meaning first.

Each entry below has the words that carry its distinct meaning among its siblings (the entries of
the same knowledge-base file), in Latvian, Russian (also as the matcher converts Latin-letter
Russian) and English, written from the entries' answers, not from messages. When the best entry's
distinct meaning is not named but a close sibling's is, the close siblings whose meaning is not
named lose :data:`PENALTY` points: the named one wins when it was close, a near tie becomes a
question (``matcher``'s margin), and a reading that falls under the threshold goes to a person,
rather than the wrong sibling answering. Nothing changes when the best entry's own meaning is
named, or when no sibling is close. Scores only fall: a marker never lifts an entry over the
threshold (lifting the named sibling instead answered pieces the model had doubted).

The patterns run over folded text (``reading.shadow``): lower case, no diacritics, ``ё`` as ``е``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from helpdesk.core.matching import Candidate
from helpdesk.knowledge.model import Entry

# Siblings this close to the best entry (score points) are compared; those without their meaning
# named lose this many points. 10/10 measured the same on the tuning halves; 20 or 25 lost answers.
WINDOW = 15.0
PENALTY = 15.0

_PAST_PAID = (
    r"samaksaju|apmaksaju|nomaksaju|parskaitiju|iemaksaju|samaksat[sa]\b|apmaksat[sa]\b|"
    r"samaksaj(is|usi)|apmaksaj(is|usi)|"
    r"(о|за|у)плати(л|ла|ли)\b|оплачен\w*|переве(л|ла|ли)\b|перечисли(л|ла|ли)\b|"
    r"\b(i|we|she|he|they|ive|weve|have|has|had|already|was|were|been) (already |just )?(paid|payed)\b|"
    r"\b(paid|payed) (it|them|already|via|by|through|with|on|last|yesterday|in full)\b|"
    r"transferred the money|"
    # the money has left the account
    r"nauda (ir )?(nonemta|noskaitita|norakstita|aizgaja)|списал\w*|деньги (ушли|сняли|списали)|"
    r"(money|payment) (left|went|was taken|has gone|was debited)|debited"
)
_STILL_OWED = (
    r"joprojam|aizvien|vel arvien|arvien vel|neapmaksat\w*|nav (redzam|nodzest|atspogulot|ienac)\w*|"
    r"до сих пор|вс[е] (ещ[е]|равно)|по-?прежнему|ещ[е] (висит|числит|показыва)\w*|"
    r"неоплачен\w*|не оплачен\w*|не (отобража|виден|видно|засчита|зачисл)\w*|"
    r"still (show|say|list|mark|owe|unpaid|outstanding|due|there|not|have|has)\w*|unpaid|"
    r"outstanding|not (shown|showing|reflected|credited|registered|visible)|"
    # the portal shows a debt
    r"\bvel (rada|redzams|karajas)|\brada (paradu|ka esmu parad|neapmaksat)\w*|\bвисит\b|"
    r"показыва\w* (долг|задолж)\w*|(shows|showing) (a |the |my )?(debt|balance)|says i owe|still owe"
)

#: entry id -> the words that carry its distinct meaning among its siblings.
MARKERS: dict[str, str] = {
    # payments.yaml
    "paid-still-debt": rf"{_PAST_PAID}|{_STILL_OWED}",
    "pay-online": (
        # how or where to pay (a debt too), a card, the payment details
        r"\b(ka|kur)( \w+){0,3} (sa|ap|no|pa)?(maksat|norekinat|parskaitit)\b|\bkart\w*|rekviz\w*|"
        r"\b(как|где|куда)( \w+){0,3} (о|за|у|по)?(платить|оплатить|перевести|рассчитаться|погасить)\b|"
        r"карт\w*|реквизит\w*|"
        r"\b(how|where)( \w+){0,3} (pay|settle)\b|\bcard\b|bank details|payment reference"
    ),
    "auto-payment": (
        r"automat\w*|regular\w*|pastavig\w*|автомат\w*|автоплат\w*|регулярн\w*|постоянн\w*|"
        r"дебетован\w*|automatic\w*|auto ?pay\w*|standing order|direct debit|recurring"
    ),
    "overpayment": r"parmaks\w*|par daudz (samaks|iemaks)\w*|переплат\w*|overpa\w*|paid too much",
    "late-fee": (
        r"soda nauda|kavejuma nauda|nokavejuma|pen(i|ja|ju)\b|пени|пеня|пеню|штраф\w*|"
        r"late (fee|payment fee|charge)|penalt\w*"
    ),
    # meters.yaml
    "meter-readings-deadline": (
        r"\blidz (kuram|kadam|kurai|kad|cikiem)|\bkad (jaiesniedz|jaievada|jadod|jano|beidz|ir pedej)\w*|"
        r"termin\w*|pedej\w* (diena|datum)\w*|kura datuma|kuru datumu|"
        r"до (какого|скольки|которого)|когда (нужно|надо|можно|сдава|пода|ввод|переда)\w*|срок\w*|"
        r"последн\w* (день|дат|числ)\w*|какого числа|крайн\w*|"
        r"с какого|deadline|cut-?off|until (when|what|which)|till (when|what|which)|by when|by which|"
        r"what date|which date|which day|last day|"
        r"due date|\bwhen (do|should|must|can|are|is)\b|how late"
    ),
    "meter-readings-how": (
        # how or where readings are submitted
        r"\b(ka|kur)( \w+){0,3} (ja)?(iesnie|ievad|nodo|ieraksti|pazino|paradit|sadal)\w*|"
        r"\b(как|где|куда)( \w+){0,3} (пода|переда|ввод|ввест|внес|сда|раздел)\w*|"
        r"\b(how|where)( \w+){0,3} (submit|enter|send|give|put|report|section)\w*"
    ),
    "meter-readings-missed": (
        r"nokavej\w*|aizmirs\w*|neiesniedz\w*|nepaspej\w*|nav iesniegt\w*|neesmu iesniedz\w*|"
        r"забы(л|ла|ли)\w*|пропусти\w*|не успе\w*|не сда(л|ла|ли)\b|не пода(л|ла|ли)\b|опозда\w*|"
        r"forgot|forget|missed|did not (submit|send|enter)|didnt (submit|send|enter)|too late|"
        # the deadline has passed (not: when it ends)
        r"\bpagaj(is|usi)\b|beidzies|beigusies|\bgaram\b|"
        r"\bпрош(ел|ло|ла|ли)\b|закончил\w*|кончил\w*|истек\w*|"
        r"\bhas passed\b|\bexpired\b|\bis over\b|\bwas over\b"
    ),
    "meter-readings-fix": (
        r"kluda\w*|kludai\w*|kludi\w*|izlabo\w*|\blabot\w*|nepareiz\w*|par daudz|par maz|sajauc\w*|"
        r"ошиб\w*|ошибоч\w*|исправ\w*|неправильн\w*|неверн\w*|перепута\w*|"
        r"wrong|mistake|typo|\bfix\b|mixed up|\bcorrect (it|the|my|a|this)\b|incorrect"
    ),
    # privacy.yaml
    "privacy-what-data": (
        r"\bkad(us|i|a|u|as)( \w+){0,2} (dat|informacij|zinas)\w*|"
        r"\bko (jus )?(par mani )?(zinat|glabajat|apstradajat|vacat)|"
        r"\bкак(ие|ую|ая|их|ой)( \w+){0,2} (данн|сведени|информаци)\w*|"
        r"\bчто (вы )?(обо мне )?(знаете|храните|собираете|обрабатываете)|"
        r"\b(what|which)( \w+){0,2} (data|information|info|details)|"
        r"\bwhat do you (know|store|keep|hold|collect|process)"
    ),
    "data-location": (
        r"\bkur (tiek |ir |jus )?(glaba|uzglaba|atrod|apstrad|tur)\w*|server\w*|\bvalst\w*|eiropa\w*|"
        r"eiropas savienib\w*|\beez\b|arzem\w*|arpus|"
        r"\bгде (вы )?(хран|наход|обрабат|лежат|держ)\w*|сервер\w*|стран\w*|европ\w*|\bес\b|"
        r"за (рубеж|границ)\w*|"
        r"\bwhere (is|are|do|does)\b|server\w*|countr\w*|europe\w*|\beu\b|\beea\b|abroad|outside"
    ),
    "privacy-retention": (
        r"cik ilgi|cik ilgu laiku|\bdzes\w*|как долго|сколько (времени|лет)|удал(я|и)\w*|"
        r"how long|delete\w*|erase\w*"
    ),
    # invoices.yaml
    "second-recipient": (
        r"\bari\b|"
        r"\bvel (vienu|vienam|vienai|viena)\b|"
        r"\botr\w* (adres|epast|cilvek|person)\w*|kopij\w*|\babiem\b|"
        r"\bтоже\b|\bтакже\b|\bещ[е] (и|одн\w*|на|кому)\b|\bвтор\w*|копи(я|ю|и)\b|\bобоим\b|"
        r"\balso\b|\btoo\b|as well|\bcopy\b|second (address|email|person|recipient)|"
        r"another (person|recipient)|\bboth\b|in addition"
    ),
    "paper-to-email": (
        r"\bvieta\b|\bnevis\b|\bpariet\w*|\bparslegt\w*|\bvairs\b|\bвместо\b|\bа не\b|перейти|"
        r"переключ\w*|больше не|\binstead\b|\bswitch\w*|no more paper|stop\w* (sending )?(the )?paper|"
        r"paperless|\bno longer\b|\brather than\b"
    ),
    "change-invoice-email": (
        r"nomain\w*|\bmainit\w*|cit\w* (epast|adres)\w*|jaun\w* (epast|adres)\w*|"
        r"смен(ить|и)\w*|измени\w*|поменя\w*|друг\w* (адрес|почт|имейл)\w*|нов\w* (адрес|почт|имейл)\w*|"
        r"\bchange\w*|new (email|address)|different (email|address)|update"
    ),
    "paper-fee": (
        r"\bcik (maksa|izmaksa)|\bcena\w*|maksa par|комисси\w*|сколько стоит|стоимост\w*|"
        r"pieskait\w*|piemer\w*|начисл\w*|списыва\w*|"
        # a surcharge for it
        r"piemaks\w*|papildu maks\w*|papildmaks\w*|доплат\w*|дополнительн\w* плат\w*|surcharge\w*|"
        r"extra (fee|charge|cost|pay)\w*|"
        r"\bfee\b|\bcost\w*|charge\w*|\bprice\b|how much"
    ),
    # what a line of the invoice is or means (its name is often a word the KB has never seen)
    "invoice-explained": (
        r"\brind[aui]\w*|pozicij\w*|\bko (tas |tie |ta |sis |si )?(nozime|apzime)\w*|"
        r"\b(pa|iz)skaidro\w*|atsifre\w*|"
        r"строк[аиуе]\w*|позици\w*|\bчто (это )?(значит|означает|такое)\b|\b(об|по)ясни\w*|расшифр\w*|"
        r"\blines?\b|\bitems?\b|\bwhat (does|do|is|are) (the |this |that |these |it )?\S+( \S+)? mean|"
        r"\bexplain\w*|breakdown"
    ),
    "invoice-spam": r"spam\w*|surogat\w*|спам\w*|\bjunk\b",
    "invoice-missing": (
        r"nav (atnac|pienac|sanemt|ienac|atsutit)\w*|neatnak\w*|nepienak\w*|nesanem\w*|"
        r"не (приш(ел|ла|ли)|получ\w*|прих\w*)|"
        r"havent (got|received)|didnt (get|receive|arrive)|not (arrived|received|come)|missing"
    ),
    # account.yaml: logging in that fails (an error, a refusal, a hang), not the way to log in
    "login-problems": (
        r"\bne(?:var\w*|izdod\w*|izdev\w*|sanak\w*|strada\w*|darboj\w*|laiz\w*|lauj\w*)|\bneiet\b|"
        r"kluda\w*|kludu|problem\w*|iestrig\w*|karaj\w*|izmet\w*|met (?:ara|atpakal)|"
        r"\bне (?:мог\w*|получа\w*|удает\w*|удало\w*|работа\w*|пуска\w*|пуст\w*)|"
        r"ошибк\w*|проблем\w*|зависа\w*|завис\b|выкидыва\w*|выбрасыва\w*|крутит\w*|"
        r"\b(?:can ?not|cant|can't|couldn't|couldnt|unable|won't|wont|doesn't|doesnt|does not|isn't|isnt)\b|"
        r"error\w*|problem\w*|fail\w*|stuck|hang\w*|crash\w*|time[sd]? out|timing out|timeout\w*|"
        r"\bkeeps? \w+ing\b|kick\w* (?:me )?out|not working"
    ),
    "personal-code-why": (
        r"\bkapec\b|\bkalab\b|\bkam (jums|vajag)|noluk\w*|\bзачем\b|\bпочему\b|для чего|"
        r"с какой целью|\bwhy\b|what for|purpose"
    ),
    "register": (
        r"registr\w*|izveidot kontu|jaun\w* kont\w*|зарегистр\w*|регистрац\w*|"
        r"созда(ть|ю) (аккаунт|учетн\w*|кабинет|профил\w*)|sign ?up|register\w*|create an? account|"
        r"new account"
    ),
    # property.yaml
    "sold-apartment": r"pardev\w*|продал\w*|продаж\w*|\bsold\b|selling|\bsell\b",
    "new-owner": (
        r"nopirk\w*|jaun\w* ipasniek\w*|купи(л|ла|ли)\b|нов\w* (владел|собственн)\w*|"
        r"\bbought\b|new owner|purchased"
    ),
}

_COMPILED = {entry: re.compile(pattern) for entry, pattern in MARKERS.items()}


def names(entry: str, folded: str) -> bool:
    """Whether ``folded`` says what sets ``entry`` apart from its siblings (False without markers)."""
    pattern = _COMPILED.get(entry)
    return pattern is not None and pattern.search(folded) is not None


def favour(candidates: Iterable[Candidate], folded: str, entries: Mapping[str, Entry]) -> list[Candidate]:
    """``candidates`` best first, with :data:`PENALTY` taken from each entry of the best entry's
    topic within :data:`WINDOW` of it whose distinct meaning ``folded`` does not name, when it names
    a sibling's there and not the best entry's. ``entries``: by id (siblings: :func:`same_topic`).
    Scores only fall: a marker never lifts an entry over the threshold."""
    ranked = sorted(candidates, key=lambda c: -c.score)
    if len(ranked) < 2:
        return ranked
    top = ranked[0]
    if names(top.entry, folded):
        return ranked
    close = [c for c in ranked if top.score - c.score <= WINDOW and same_topic(entries, top.entry, c.entry)]
    if len(close) < 2 or not any(names(c.entry, folded) for c in close):
        return ranked
    lowered = [
        Candidate(c.entry, round(max(0.0, c.score - PENALTY), 1))
        if any(c is each for each in close) and not names(c.entry, folded)
        else c
        for c in ranked
    ]
    return sorted(lowered, key=lambda c: -c.score)


def same_topic(entries: Mapping[str, Entry], first: str, second: str) -> bool:
    """Whether two entries (by id in ``entries``) are siblings: they come from one knowledge-base
    file, which holds one topic (payments, meters, privacy ...); an operator's files do the same."""
    one, other = entries.get(first), entries.get(second)
    if one is None or other is None:
        return False
    topic = one.source.rpartition(":")[0]
    return bool(topic) and topic == other.source.rpartition(":")[0]
