"""Near misses: a question that shares words with an entry but is about someone else's business.

"How do I submit my gas readings to Latvijas Gāze", "unsubscribe me from Maxima's e-mails", "Bite
charged me a late fee": every word but the name fits an entry, and a portal answer (or worse, a
withdrawal of consent to our news) would be wrong. A message that names another provider, shop,
app or authority, or a subject the portal does not handle, is read as outside the KB's scope unless
its best entry is one where such a name is part of the question (paying through a bank, logging in
with a bank's Smart-ID).

The patterns run over folded text (``reading.shadow``): lower case, no diacritics.
"""

from __future__ import annotations

import re

# Other companies: energy, telecoms, water and waste, shops, apps, other portals and authorities.
_PROVIDERS = (
    r"elektrum\w*|latvenergo\w*|enefit\w*|latvijas gaz\w*|gaso\b|lg\b|tet\b|lattelecom\w*|lmt\b|bite\b|"
    r"bitei|bites\b|tele ?2\w*|rigas udens|rigas siltum\w*|eco baltia|clean ?r\b|getlin\w*|"
    r"maxima\w*|rimi\w*|lidl\w*|top\b|narvesen\w*|bolt\w*|wolt\w*|citybee\w*|airbaltic\w*|"
    r"latvija\.lv|latvija lv|e-?veseliba\w*|e-?veselib\w*|csdd|vsaa|valsts ienemumu|"
    r"latvijas pasts|pasta nodal\w*|omniva\w*|dpd\b|baltcom\w*|balticom\w*|telia\w*|go3\b|viasat\w*|"
    r"rigas satiksme\w*|pasazieru vilciens|airbnb\w*|"
    r"netflix\w*|spotify\w*|facebook\w*|google\w*|apple\b|icloud\w*|ss\.lv|ss lv|"
    r"элektrum|электрум\w*|латвэнерго\w*|латвенерго\w*|латвияс газ\w*|теле ?2\w*|лмт\b|бите\b|"
    r"максим\w*|рими\b|болт\w*|латвияс пастс"
)
# Banks are named both in questions about them and in questions about paying or logging in.
_BANKS = r"swedbank\w*|seb\b|citadele\w*|luminor\w*|revolut\w*|bank\w*|bankas|банк\w*"
# Subjects about the flat, the building, other bills and the law rather than the portal.
_SUBJECTS = (
    r"elektrib\w*|electricity|электричеств\w*|elektrisk\w*|gazes skaitit\w*|gas meter\w*|"
    r"mobil\w* (?:telefon|sakar)\w*|phone bill|телефон\w* счет|internet\w* (?:rekin|bill|счет)\w*|"
    r"apkures sezon\w*|heating season|отопительн\w* сезон\w*|"
    r"stavviet\w*|parking|парков\w*|kaimin\w*|neighbou?r\w*|сосед\w*|"
    r"ccd|nodokl\w*|налог\w*|\btax\w*|iin\b|deklaracij\w* vid|"
    r"pin ?kod\w*|parking fine|speeding fine|штраф\w*|atrumpar\w*|"
    r"privacy policy|online shop|interneta veikal\w*|"
    r"internetbank\w* parol\w*|bank\w* password|nobloke\w*|заблокир\w*|blocked my card|"
    r"kreditlinij\w*|loan|кредит\w*|apdrosin\w*|insurance|страхов\w*"
)
PROVIDER = re.compile(rf"(?<![\w.-])(?:{_PROVIDERS})")
BANK = re.compile(rf"(?<![\w.-])(?:{_BANKS})")
SUBJECT = re.compile(rf"(?<![\w.-])(?:{_SUBJECTS})")

# Words that say a sentence is about us: the portal, Klientiem.lv, "your site".
OWN = re.compile(
    r"(?<![\w.-])(?:portal\w*|портал\w*|klientiem\w*|mansdzib\w*|jusu (?:sistem|majaslap|lap)\w*|"
    r"вашем сайте|вашего сайта|ваш сайт|vashem sajte|your (?:site|website|system))"
)

# Entries where a bank (or paying through one) is part of the question itself.
BANK_ENTRIES = frozenset(
    {
        "login-eid",
        "login-problems",
        "register",
        "pay-online",
        "paid-still-debt",
        "overpayment",
        "auto-payment",
    }
)


def names_us(folded: str) -> bool:
    """Whether folded text says it is about the portal (so another company named elsewhere in the
    message is not what this sentence asks about)."""
    return bool(OWN.search(folded))


def names_other(folded: str) -> bool:
    """Whether folded text names another company or subject at all (banks aside)."""
    return bool(PROVIDER.search(folded) or SUBJECT.search(folded))


def foreign(folded: str, entry: str) -> bool:
    """Whether folded text that names another company or subject is, for ``entry``, a near miss."""
    if PROVIDER.search(folded) or SUBJECT.search(folded):
        return True
    return entry not in BANK_ENTRIES and bool(BANK.search(folded))
