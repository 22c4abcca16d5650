"""Another body's own procedure, named by what is done there rather than by the body's name.

The land register is a topic the KB answers ("we are registered in the Land Register as the new
owners, how do we see the invoices?"), so its name alone is no near miss (``scope``). Ordering an
extract from it, or registering a contract or a sale in it, is its own service, whose price and
forms the KB does not hold: "kā pasūtīt zemesgrāmatas izrakstu", "do I have to register the rental
contract in the land register". So are the resident's own dealings with the state and with a
tenant: income (declared, taxed, with bills deducted from it), the rental contract between a
landlord and a tenant, and how long the resident must keep paid receipts ("сколько лет по закону
надо хранить квитанции"). Every other word of such a question fits an entry (register, invoices,
paying), so only the procedure says it is a near miss: ``scope.Mentions`` reads it in the piece that
names it only, as a subject the portal does not handle.

The patterns run over folded text (``reading.shadow``): lower case, no diacritics; Russian typed in
Latin letters is read as typed.
"""

from __future__ import annotations

import re

# The land register's extract (or printout, or folio), in each language's word order.
_EXTRACT = (
    r"zemesgramat\w* (?:izrakst|izdruk|nodalijum)\w*|(?:izrakst|izdruk)\w* no zemesgramat\w*|"
    r"выписк\w* (?:из )?земельн\w* книг\w*|vypisk\w* (?:iz )?zemeln\w* knig\w*|"
    r"land regist\w* (?:extract|printout|excerpt)\w*|"
    r"(?:extract|printout|excerpt)\w* (?:from|of) the land regist\w*"
)
# ... ordered, got or paid for: the register's service ("kā pasūtīt", "сколько стоит", "how do I get").
_OBTAIN = (
    r"pasut\w*|iznemt|dabut|sanemt|cik maksa|cik izmaksa|заказ\w*|получить|сколько стоит|zakaz\w*|"
    r"poluchit|skolko stoit|order\w*|obtain\w*|get|request|how much (?:is|does|for)"
)
# A deed, a contract or a sale registered there (an infinitive: "we are registered in the Land
# Register as the owners" and "darījums reģistrēts zemesgrāmatā" tell how a flat changed hands).
_DEED = (
    r"(?:the |a |my |our |this )?(?:\w+ )?(?:contract|agreement|lease|deal|sale|purchase|gift|mortgage)|"
    r"(?:\w+ )?(?:ligum|darijum|hipotek|davinajum)\w*|(?:\w+ )?(?:договор|сделк|ипотек|дарени)\w*"
)
_REGISTERED_IN = (
    rf"register (?:{_DEED}) (?:in|into|at|with) (?:the )?land regist\w*|"
    rf"(?:ierakstit|registret|ieregistret|parregistret) (?:{_DEED}) zemesgramat\w*|"
    rf"zemesgramata (?:ierakstit|registret|ieregistret|parregistret) (?:{_DEED})\b|"
    rf"(?:зарегистрировать|регистрировать|внести|переоформить) (?:{_DEED}) (?:в|во) земельн\w* книг\w*"
)
# Income: declared, taxed, or with the bills deducted from it ("доходит" is "arrives", no income;
# an overpayment deducted from the next invoice is ours, so deducting alone names nothing).
_INCOME = r"income\w*|ienakum\w*|доход(?:а|ов|у|ом|ы|е|ах|ами)?\b|dohod(?:a|ov|u|om|y)?\b|вычет\w*"
# The contract between a landlord and a tenant (the tenant's invoices are ours: ``RENTAL``).
_RENTAL = (
    r"(?:ires|nomas|irnieka) ligum\w*|договор\w* (?:аренд|найм|съем)\w*|dogovor\w* (?:arend|najm)\w*|"
    r"(?:rental|lease|tenancy|rent) (?:contract|agreement)\w*|\blease\b"
)
# How long the resident must keep paid receipts, or whether old ones may be thrown away (how long
# we keep data is the privacy entry's, and is asked of "you": "cik ilgi jūs glabājat").
_PAPERS = (
    r"kvit\w*|cek(?:s|us|i|u|us)\b|receipts?\b|квитанц\w*|kvitanc\w*|чек(?:и|ов)?\b|cheki?\b|"
    r"платежк\w*|platezhk\w*|maksajuma (?:uzdevum|dokument)\w*|payment (?:slip|record)s?\b"
)
_KEEP = (
    r"jaglaba|jauzglaba|glabat|uzglabat|хранить|hranit|khranit|keep|store|izmest|выбросить|vybrosit|"
    r"throw (?:away|out)|get rid of"
)
_KEEPING = rf"(?:{_KEEP}) (?:\S+ ){{0,3}}(?:{_PAPERS})|(?:{_PAPERS}) (?:\S+ ){{0,3}}(?:{_KEEP})\b"

RENTAL = re.compile(rf"(?<![\w.-])(?:{_RENTAL})")
PROCEDURE = re.compile(
    rf"(?<![\w.-])(?:(?:{_OBTAIN}) (?:\S+ ){{0,3}}(?:{_EXTRACT})|(?:{_EXTRACT})(?: \S+){{0,4}} "
    rf"(?:cik (?:tas )?(?:maksa|izmaksa)|сколько (?:это )?стоит|how much)|{_REGISTERED_IN}|{_INCOME}|"
    rf"{_RENTAL}|{_KEEPING})"
)


def named(folded: str) -> bool:
    """Whether folded text names another body's own procedure (this module's doc)."""
    return bool(PROCEDURE.search(folded))
