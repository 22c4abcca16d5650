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
from dataclasses import dataclass

from helpdesk.knowledge import once, procedures
from helpdesk.knowledge.alternation import factored
from helpdesk.knowledge.planned import planned

# Latvian towns in the genitive (folded), as in a town's own utility company's name.
_TOWNS = (
    r"rigas|jurmalas|daugavpils|liepajas|jelgavas|ventspils|rezeknes|valmieras|jekabpils|ogres|"
    r"tukuma|cesu|salaspils|kuldigas|olaines|saldus|talsu|dobeles|siguldas|bauskas|madonas|"
    r"aizkraukles|limbazu|gulbenes|balvu|ludzas|kraslavas|preilu|smiltenes|valkas|adazu|marupes|kekavas"
)
# Other companies, by trade (folded names; a name that is also a common word has a word boundary).
# E-mail services (Gmail, Inbox.lv), the land register and notaries are not here: residents name
# them in questions the KB answers (spam folders, a new owner).
_ENERGY = (
    r"elektrum\w*|latvenergo\w*|enefit\w*|elenger\w*|ignitis\w*|latvijas gaz\w*|gaso\b|conexus\w*|"
    r"sadales tikl\w*|augstsprieguma tikl\w*|rigas siltum\w*|jurmalas siltum\w*|fortum\w*|"
    r"siltumtikl\w*|lg\b|электрум\w*|латвэнерго\w*|латвенерго\w*|латвияс газ\w*|энефит\w*|"
    r"ригас силтумс|adven\w*|gren\b|"
    # A town's own water, heat or energy company: "Daugavpils ūdens", "Liepājas enerģija".
    rf"(?:{_TOWNS}) (?:udens|udeni\w*|udenim|udensvad\w*|siltum\w*|energij\w*)"
)
_TELECOM = (
    r"tet\b|lattelecom\w*|lmt\b|bite\b|bitei|bites\b|tele ?2\w*|baltcom\w*|balticom\w*|telia\w*|"
    r"go3\b|viasat\w*|zelta zivtin\w*|teledem\w*|izzi\b|amigo\b|helio\b|shortcut\w*|"
    r"теле ?2\w*|лмт\b|бите\b|тет\b|балтком\w*|телиа\w*"
)
_UTILITIES = (
    r"rigas ude(?:ns|ni\w*)|jurmalas ude(?:ns|ni\w*)|eco baltia|clean ?r\b|getlin\w*|"
    r"vides serviss|pilsetvides serviss|"
    r"lautus\w*|ziemelvidzeme\w*|ragn-?sells\w*|remondis\w*|piejura\b|zala josta\w*|"
    r"ригас уденс|эко балтия"
)
_SHOPS = (
    r"maxima\w*|rimi\w*|lidl\w*|top\b|elvi\b|mego\b|aibe\b|narvesen\w*|depo\b|k-?senukai|ikea\w*|"
    r"jysk\w*|pepco\w*|euronics\w*|220\.lv|pigu\w*|drogas\b|apotheka\w*|menes aptiek\w*|benu\b|"
    r"euroaptiek\w*|circle k\b|neste\b|virsi\b|viada\b|orlen\b|amazon\w*|aliexpress\w*|temu\b|"
    r"ebay\w*|zalando\w*|barbora\w*|elkor\w*|sportland\w*|sinsay\w*|lindex\w*|h&m\b|"
    r"akropol\w*|origo\b|spar\b|1a\.lv|"
    r"максим\w*|рими\b|лидл\w*|депо\b|икея\w*|пепко\w*"
)
_PLATFORMS = (
    r"bolt\w*|wolt\w*|citybee\w*|forus\w*|uber\b|yandex\w*|airbaltic\w*|airbnb\w*|booking\.com|"
    r"rigas satiksme\w*|pasazieru vilciens|latvijas past\w*|pasta nodal\w*|omniva\w*|dpd\b|dhl\b|"
    r"venipak\w*|smartpost\w*|netflix\w*|spotify\w*|youtube\w*|facebook\w*|instagram\w*|tiktok\w*|"
    r"whatsapp\w*|viber\w*|google\w*|apple\b|icloud\w*|microsoft\w*|ss\.lv|ss lv|ss\.com|"
    r"cv\.lv|cv-online\w*|e-?klase\w*|mykoob\w*|lursoft\w*|firmas\.lv|"
    r"mobilly\w*|manabals\w*|e-?talon\w*|draugiem\w*|linkedin\w*|twitter\w*|tiktok\w*|skype\w*|"
    r"glovo\w*|ryanair\w*|wizz ?air\w*|flixbus\w*|lux express|ecolines\w*|"
    r"delfi\w*|tvnet\w*|lsm\b|lsm\.lv|apollo\.lv|jauns\.lv|storytel\w*|hbo\w*|disney\w*|"
    r"mogo\b|vivus\w*|smscredit\w*|ferratum\w*|credit24|moneza\w*|4finance\w*|"
    r"bta\b|ergo\b|gjensidig\w*|compensa\w*|seesam\w*|indexo\w*|"
    r"делфи\w*|мого\b|мобилли\w*|"
    r"болт\w*|латвияс пастс|омнива\w*|ютуб\w*|фейсбук\w*|гугл\w*|вотсап\w*"
)
# Authorities and other institutions: their own procedures, accounts and letters are not the portal's.
_AUTHORITIES = (
    r"latvija\.lv|latvija lv|e-?veseliba\w*|e-?veselib\w*|csdd|vsaa|valsts ienemumu|"
    r"pmlp|nvd\b|ptac|sprk|vugd|valsts policij\w*|pasvaldib\w*|rigas dom\w*|novada dom\w*|buvvald\w*|"
    r"socialais dienest\w*|sociala dienest\w*|vzd\b|valsts zemes dienest\w*|kadastr\w*|"
    r"nva\b|nodarbinatibas valsts agentur\w*|vdi\b|valsts darba inspekcij\w*|"
    r"tiesu administracij\w*|uzturlidzekl\w*|eds\b|"
    r"налогов\w* служб\w*|самоуправлен\w*|рижск\w* дум\w*|социальн\w* служб\w*|"
    r"municipalit\w*|city council|tax office|social services|"
    # The population register and the post office keep their own records of a name and address.
    r"iedzivotaju registr\w*|population register\w*|регистр\w* (?:жител|населен)\w*|"
    r"latvijas past\w*|латвийск\w* почт\w*"
)
_PROVIDERS = "|".join((_ENERGY, _TELECOM, _UTILITIES, _SHOPS, _PLATFORMS, _AUTHORITIES))
# Banks are named both in questions about them and in questions about paying or logging in.
_BANKS = (
    r"swedbank\w*|seb\b|citadele\w*|luminor\w*|revolut\w*|rietumu\w*|bigbank\w*|industra\w*|"
    r"blue ?orange\w*|signet\w*|paysera\w*|lhv\b|inbank\w*|n26\b|bank\w*|bankas|банк\w*|"
    r"сведбанк\w*|ситадел\w*|цитадел\w*|люминор\w*|револют\w*"
)
# Subjects about the flat, the building, other bills, work and the law rather than the portal.
_SUBJECTS = (
    r"gazes skaitit\w*|gas meter\w*|"
    r"mobil\w* (?:telefon|sakar)\w*|phone bill|телефон\w* счет|internet\w* (?:rekin|bill|счет)\w*|"
    r"par (?:mobilo |majas )?telefonu|за (?:мобильн\w* |домашн\w* )?телефон\w*|for (?:my |the )?phone\b|"
    r"apkures sezon\w*|heating season|отопительн\w* сезон\w*|"
    # When the heating is switched on for the season (a cold radiator is a repair).
    r"kad (?:sak\w*|iesleg\w*|pieslegs|pados|bus) (?:\w+ )?apkur\w*|"
    r"apkur\w* (?:sak|iesleg|pieslegs|pados)\w*|"
    r"heating (?:be |is |gets )?(?:switched|turned) on|when (?:will|does) (?:the )?heating (?:start|come)|"
    r"когда (?:\w+ )?(?:включ|дад|подад)\w* отоплен\w*|"
    r"отоплен\w* (?:включ|дад|подад)\w*|kogda (?:vkljuch|dadut|podadut)\w* otoplen\w*|"
    r"stavviet\w*|parking|парков\w*|"
    r"siltinasan\w*|renovacij\w*|renovation|утеплен\w*|реновац\w*|"
    r"kopsapulc\w*|balsojum\w*|general meeting|собрани\w* (?:жильц|собственник)\w*|голосован\w*|"
    r"ccd|nodokl\w*|налог\w*|\btax\w*|iin\b|deklaracij\w* vid|"
    r"pin ?kod\w*|parking fine|speeding fine|штраф\w*|atrumpar\w*|"
    r"privacy policy|online shop|interneta veikal\w*|e-?veikal\w*|интернет-?магазин\w*|"
    r"internetbank\w* parol\w*|bank\w* password|internet bank\w*|nobloke\w*|заблокир\w*|blocked my card|"
    r"kreditlinij\w*|loan|кредит\w*|apdrosin\w*|insurance|страхов\w*|"
    # A water, gas or energy company named by its trade, not its name.
    r"(?:water|gas|electricity|energy|heating|utility|waste) (?:company|provider|supplier|utility)\w*|"
    r"udens(?:apgades)? (?:uznemum|pieg[aā]d|kompanij)\w*|водоканал\w*|"
    r"(?:водн\w*|газов\w*|энергетическ\w*) (?:компани|предприят)\w*|"
    r"vakanc\w*|ваканси\w*|vacanc\w*|job application|резюме|"
    # Being hired (an accountant, a cleaner): the company as an employer, not the portal.
    r"pienem\w* darba|darba pienem\w*|pieteikties darba|strada(?:t|s) pie jums|"
    r"(?:берете|возьмете|принимаете|нанимаете|ищете) (?:\w+ )?на работу|трудоустр\w*|"
    r"устроиться (?:к вам|на работу)|are you hiring|\bhiring\b|\bhire (?:an?|new)\b|work for you|"
    r"videonoverosan\w*|cctv|видеонаблюден\w*|pak[aiu]\b|pakas\b|posylk\w*|посылк\w*|parcel\w*|"
    # Pensions, benefits, residence papers, schooling, health, cars, work and deposits: the
    # state's, an employer's or a landlord's business.
    r"pensij[aeu]\b|pensijas\b|pensiju\w*|pensions?\b|pension (?:fund|plan)\w*|"
    r"пенси[яиюей]\b|пенсионн\w* фонд\w*|"
    r"bezdarb\w*|unemploy\w*|безработ\w*|"
    r"uzturesanas atlauj\w*|residence permit\w*|вид\w* на жительств\w*|vid na zhitel\w*|"
    r"bernudarz\w*|kindergarten\w*|детск\w* сад\w*|школ\w*|shkol\w*|\bschool\w*|skol[aeu]\b|skolas\b|"
    r"arst\w*|doctor\w*|врач\w*|vrach\w*|slimnic\w*|hospital\w*|больниц\w*|poliklinik\w*|"
    r"поликлиник\w*|driving licen\w*|vaditaj\w* aplieci\w*|водительск\w*|techosmotr\w*|техосмотр\w*|"
    r"tehnisk\w* apskat\w*|car registration|drosibas naud\w*|security deposit|залог(?:а|у|ом)?\b|"
    r"darba devej\w*|employer\w*|работодател\w*|salary|зарплат\w*|zarplat\w*|"
    r"payslip\w*|pay slip\w*|algas (?:lapin|aprekin|izrakst)\w*|расчетн\w* лист\w*|from (?:my )?work\b|"
    r"sniega tirisan\w*|snow removal|уборк\w* снег\w*|"
    # Cleaning the house, which the labelling rules name out of scope (no repair either).
    r"uzkop\w*|neuzkop\w*|уборк\w*|ubork\w*|cleaning|cleaners?\b|"
    r"(?:ne)?mazgaj\w*|netirum\w*|smirdon\w*|не моют|грязь|грязно|\bdirt\w*|"
    r"clean\w* (?:the |our |my )?(?:stair|hall|entrance|lift|yard|building|house)\w*"
)
# Inheriting itself (the proceedings, the notary's papers, the tax) is the notary's and the Land
# Register's business; a flat inherited whose invoices are asked about is a new owner. Read in the
# piece that names it only: "Mantojuma lieta vēl nav pabeigta." is the story of a mail whose
# question about the invoices the KB answers.
_INHERITING = (
    r"mantojuma (?:liet|apliecib|nodokl|tiesib)\w*|stat\w* mantojuma\w*|mantosanas\w*|"
    r"\bka (?:\w+ )?mantot\b|notaram (?:vajag|vajadzig|jaiesniedz|nepieciesam)\w*|"
    r"наследственн\w*|вступ\w* в наследств\w*|оформ(?:ить|лять|ление|ления) наследств\w*|"
    r"свидетельств\w* о (?:праве на )?наследств\w*|нотариус (?:просит|требует|запрашивает)|"
    r"(?:для|к) нотариус[ау]\b|нотариусу (?:нужн|надо)\w*|как (?:\w+ )?унаследовать|"
    r"\bprobate\b|inheritance (?:tax|case|proceeding|certificate|process)\w*|for the notary|"
    r"notary (?:needs?|asks?|requires?|wants?)|how (?:do i|to|can i|can we|do we) inherit"
)
INHERITING = re.compile(rf"(?<![\w.-])(?:{_INHERITING})")
# A loan, a lease or a mortgage is the bank's business ("automātiskais maksājums kredītam"), except
# as how a flat was bought or sold ("ar hipotekāro kredītu iegādājāmies dzīvokli"); a credit card
# is a way to pay. Read in the piece that names it only.
LOAN = re.compile(
    r"(?<![\w.-])(?:kredit(?!kart)\w*|aizdevum\w*|lizing\w*|hipotek\w*|mortgage\w*|ипотек\w*|лизинг\w*)"
)
PROPERTY_ENTRIES = frozenset({"new-owner", "sold-apartment"})
# Electricity and the neighbours are another provider's bill or a private matter, except when the
# question is about a fault in the building (sparking wiring, a leak from the flat above).
_ELECTRICITY = r"elektrib\w*|electricity|электричеств\w*|elektrisk\w*"
_NEIGHBOURS = r"kaimin\w*|neighbou?r\w*|сосед\w*"
_HOUSEHOLD = f"{_ELECTRICITY}|{_NEIGHBOURS}"
HOUSEHOLD_ENTRIES = frozenset({"repairs-emergency"})
# The house and its grounds (the yard, the playground, the basement, the balconies, pets, noise,
# smoking): the manager's or the neighbours' business, a repair's, or whom to ask, never the
# portal's. Read in the piece that names them only: a mail's story may pass through the yard.
_BUILDING = (
    r"pagalm\w*|двор\w*|dvor\w*|courtyard|yard\b|playground|rotalu laukum\w*|детск\w* площадк\w*|"
    r"troksn\w*|шум\w*|noise|noisy|smek\w*|кур(?:ят|ит|ени)\w*|smok\w*|suns\b|sunim\b|suni\b|собак\w*|"
    r"dogs?\b|kak[ie]s?\b|кошк\w*|cats?\b|balkon\w*|балкон\w*|balcon\w*|velosiped\w*|велосипед\w*|"
    r"bikes?\b|bicycl\w*|koki\b|koku\b|деревь\w*|trees?\b|pagrab\w*|подвал\w*|basement\w*|benin\w*|"
    r"чердак\w*|attic\w*|"
    # The stairwell, the lift and the roof, the common parts of the house (a broken lift or a
    # leaking roof is still a repair).
    r"kapnutelp\w*|kapnu telp\w*|подъезд\w*|pod'?ezd\w*|podjezd\w*|stairwell\w*|staircase\w*|"
    r"hallway\w*|lift[asu]?\b|лифт\w*|elevator\w*|jumt\w*|крыш\w*|roof\w*"
)
BUILDING_ENTRIES = frozenset({"repairs-emergency", "contact-manager"})
# Every piece of every message is searched with these: the long ones are written with their
# alternatives grouped by first letter (``alternation``), which matches the same texts several times
# faster. Only whether they match is asked of them, never what.
BUILDING = re.compile(rf"(?<![\w.-])(?:{factored(_BUILDING)})")
PROVIDER = re.compile(rf"(?<![\w.-])(?:{_PROVIDERS})")
BANK = re.compile(rf"(?<![\w.-])(?:{factored(_BANKS)})")
SUBJECT = re.compile(rf"(?<![\w.-])(?:{_SUBJECTS})")
OTHER = re.compile(rf"(?<![\w.-])(?:{factored(f'{_PROVIDERS}|{_SUBJECTS}')})")  # either, in one pass
HOUSEHOLD = re.compile(rf"(?<![\w.-])(?:{_HOUSEHOLD})")
ELECTRICITY = re.compile(rf"(?<![\w.-])(?:{_ELECTRICITY})")
# Logging in to the bank itself, not into the portal through it: "войти в Luminor", "log into my SEB".
# ... and the bank's own password or PIN: "pomenjat parol v banke", "my SEB password".
_ID_TOOLS = r"smart-?id\w*|e-?parakst\w*|смарт-?ид\w*|смарт-?айди\w*"
_ID_UPKEEP = (
    r"jaun\w* telefon\w*|new (?:phone|device)|нов\w* телефон\w*|novy\w* telefon\w*|parlik\w*|parnes\w*|"
    r"перенес\w*|перенест\w*|move|transfer\w*|sertifikat\w*|certificat\w*|сертификат\w*|atjaunot|renew\w*|"
    r"продлит\w*|instal\w*|установ\w*"
)
_LINK = r"(?: (?:no|uz|в|во|от|для|from|for|of|to|in|at|v|ot|dlja|my|mans|manu|мой|моего|моем|моём))*"
# A change of the bank's own contact details or alerts (an automatic payment set up in the bank is ours).
_CHANGE = r"поменя|помен|измен|смен|pomenja|izmen|smen|change|update|nomain|main|atjaunin"
_SETTING = (
    r"e-?mail\w*|e-?past\w*|почт\w*|pocht\w*|телефон\w*|telefon\w*|phone|номер\w*|nomer\w*|"
    r"уведомлен\w*|notification\w*|alert\w*|pazinojum\w*|limit\w*|лимит\w*"
)
BANK_ITSELF = re.compile(
    rf"(?:войти|зайти|входить|заходить|log ?in|sign in|get) (?:в|во|into|to) (?:my |мой |свой )?(?:{_BANKS})|"
    rf"(?:parol|парол|password|pin)\w*{_LINK} (?:интернет-?|internet-? ?)?(?:{_BANKS})|"
    rf"(?:{_BANKS}) (?:parol|парол|password|pin)|"
    # ... the bank's own settings changed in it: "как поменять e-mail в интернет-банке Luminor".
    rf"(?:{_CHANGE})\w* (?:\S+ ){{0,2}}(?:{_SETTING})(?: \S+)?(?: (?:в|во|in|at|of|on|v))?{_LINK} "
    rf"(?:интернет-?|internet-? ?|mobile |мобильн\w* )?(?:{_BANKS})|"
    # ... and the login tool's own upkeep: Smart-ID or eParaksts moved to a new phone, renewed.
    rf"(?:{_ID_TOOLS})(?: \S+){{0,3}} (?:{_ID_UPKEEP})|(?:{_ID_UPKEEP})(?: \S+){{0,3}} (?:{_ID_TOOLS})"
)
# Every reading of :data:`BANK_ITSELF` names a bank or a login tool: a text that names neither is
# not searched with it (most are not, and the whole pattern costs five times as much).
_BANK_OR_TOOL = re.compile(f"{factored(_BANKS)}|{factored(_ID_TOOLS)}")

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


# A complaint about how a member of staff behaved ("runāja ļoti nelaipni, nolika klausuli"): a person
# must look into it, and "Gribu, lai par šo kāds atbild" / "I want someone to take responsibility"
# beside it is no call for an operator (``parts.reading`` hands such a mail to a person).
STAFF = re.compile(
    r"(?<![\w.-])(?:nelaipn\w*|nepieklajig\w*|rupji\b|rupjs\b|rupja\b|nolik\w* klausul\w*|"
    r"нагруби\w*|нахами\w*|хамил\w*|хамств\w*|хамск\w*|невежлив\w*|груб(?:о|ая|ый|ыи|ил|ила)\b|"
    r"(?:бросил|бросила|положил|положила) трубку|"
    r"rude(?:ly|ness)?\b|impolite\w*|hung up on|hung up before|put the phone down on)"
)


# A pronoun that points back at the company or subject named beside the piece ("… get water bills from
# the water company. How do I send them my reading?"): the piece asks about them, not about us.
POINTS_BACK = re.compile(r"(?<![\w.-])(?:them|their|theirs|vinu|viniem|vinus|tiem|им|их|ними|к ним|у них)\b")


@once.per_message  # a sentence is read for its context (``parts.contexts``), then as a piece
def _names_other(folded: str) -> bool:
    return OTHER.search(folded) is not None


def names_us(folded: str) -> bool:
    """Whether folded text says it is about the portal (so another company named elsewhere in the
    message is not what this sentence asks about)."""
    return bool(OWN.search(folded))


def names_other(folded: str) -> bool:
    """Whether folded text names another company or subject at all (banks aside)."""
    return bool(_names_other(folded) or HOUSEHOLD.search(folded) or planned(folded))


def colours_context(folded: str) -> bool:
    """Whether a sentence of folded text makes the questions around it near misses: another
    company, subject or the electricity bill. The neighbours do not: "my neighbour told me", "the
    neighbours can see my debt" are the story, not what the question next to them is about; nor do
    works planned on the house (``planned``): "the roof will be renovated, please send me the news
    again" asks for the news, and the story's own piece is a near miss already."""
    return bool(_names_other(folded) or ELECTRICITY.search(folded))


# Taxes name another subject, except as what the invoices are wanted for: "for my tax return",
# "nodokļu atmaksai", "deklarācijai", "для налоговой": that is the list of invoices asked for, not
# a tax bill ("send me my property tax invoice" stays a near miss).
TAX = re.compile(
    r"(?<![\w.-])(?:for (?:\w+ ){0,2}tax\w*(?: returns?| declarations?| office)?|"
    r"nodokl\w* (?:atmaksai|deklaracijai|iestadei)|deklaracijai|"
    r"(?:для|в) (?:\w+ ){0,2}(?:налогов\w*|декларац\w*)(?: \w*(?:возврат|вычет|деклар|служб|инспекц)\w*)?)"
)
TAX_ENTRIES = frozenset({"action:invoice-list", "action:invoice"})
# ... and the house's own affairs as what the manager's news are wanted for: "mājai sāksies
# siltināšana, gribu atkal saņemt jaunumus", "у нас будет утепление дома, хочу получать новости".
HOUSE_NEWS = re.compile(
    r"(?<![\w.-])(?:siltinasan\w*|renovacij\w*|renovation|утеплен\w*|реновац\w*|kopsapulc\w*|"
    r"general meeting|собрани\w* (?:жильц|собственник)\w*)"
)
NEWS_ENTRIES = frozenset({"action:consent-give"})
# ... and the rental contract as why a tenant should get the invoices too.
TENANT_ENTRIES = frozenset({"second-recipient"})
_PURPOSES = ((TAX, TAX_ENTRIES), (HOUSE_NEWS, NEWS_ENTRIES), (procedures.RENTAL, TENANT_ENTRIES))


def _other_than(folded: str) -> bool:
    """Whether folded text names another company or subject, inheriting itself, another body's
    own procedure (``procedures``) or works planned on the house (``planned``)."""
    found = _names_other(folded) or INHERITING.search(folded)
    return bool(found or procedures.named(folded) or planned(folded))


@dataclass(frozen=True, slots=True)
class Mentions:
    """What one piece of folded text names: read once, asked per entry (:meth:`foreign`)."""

    named: bool  # another company, an authority or a subject the portal does not handle
    bank_itself: bool  # logging in to a bank, a bank's own password
    household: bool  # electricity or the neighbours
    bank: bool
    building: bool = False  # the house and its grounds
    loan: bool = False  # a loan, a lease or a mortgage
    # Entries for which ``named`` is only what they are wanted for (:data:`TAX`, :data:`HOUSE_NEWS`).
    excused: frozenset[str] = frozenset()

    @classmethod
    def of(cls, folded: str) -> Mentions:
        named = _other_than(folded)
        excused = frozenset(
            entry
            for purpose, entries in _PURPOSES
            if named and purpose.search(folded) and not _other_than(purpose.sub(" ", folded))
            for entry in entries
        )
        if named and planned(folded) and not (_names_other(folded) or INHERITING.search(folded)):
            excused |= NEWS_ENTRIES  # the works are what the manager's news are wanted for
        return cls(
            named,
            bool(_BANK_OR_TOOL.search(folded)) and bool(BANK_ITSELF.search(folded)),
            bool(HOUSEHOLD.search(folded)),
            bool(BANK.search(folded)),
            bool(BUILDING.search(folded)),
            bool(LOAN.search(folded)),
            excused,
        )

    @property
    def other(self) -> bool:
        """Another company's or the state's business, a bank's own included."""
        return self.named or self.bank_itself

    @property
    def names_other(self) -> bool:
        """:func:`names_other` of the same text, without reading it again."""
        return self.named or self.household

    def foreign(self, entry: str) -> bool:
        """Whether the piece, for ``entry``, is a near miss."""
        named = self.named and entry not in self.excused
        if named or self.bank_itself or (self.household and entry not in HOUSEHOLD_ENTRIES):
            return True
        if (self.building and entry not in BUILDING_ENTRIES) or (self.loan and entry not in PROPERTY_ENTRIES):
            return True
        return self.bank and entry not in BANK_ENTRIES


def foreign(folded: str, entry: str) -> bool:
    """Whether folded text that names another company or subject is, for ``entry``, a near miss."""
    return Mentions.of(folded).foreign(entry)
