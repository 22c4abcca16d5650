"""Whose news or records a request names (``holders``): a state-changing action of ours runs for
our news and the data we hold, never for another body's (a club, a shop, a newspaper, a library,
an employer, a register, a house chat, "my other portal"), however close the words. Every message
here was written for this test, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge import holders
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.parts import STATE_CHANGING
from tests.knowledge.conftest import answered

# Another holder named: the action must not run, and nothing else answers in its place.
OTHERS = [
    # Latvian, with and without diacritics.
    "Gribu atkal saņemt sporta kluba jaunumus, pierakstiet mani",
    "Lūdzu izsniedziet man visus manus datus, ko glabā mana darbavieta",
    "Atrakstiet mani no mājas čata",
    "lūdzu atrakstiet mani no deju studijas jaunumiem",
    "atrakstiet mani no majas whatsapp grupas",
    "nesutiet man vairs veikala reklamas",
    "gribu atkal saņemt bibliotēkas ziņas, pierakstiet mani",
    "lūdzu izlabojiet manu uzvārdu skolas sistēmā",
    "izlabojiet manu uzvardu zemesgramata",
    "izsniedziet visus datus, ko par mani glabā mans darba devējs",
    "pierakstiet mani baseina jaunumiem",
    "izsniedziet datus, ko par mani glaba banka",
    "atrakstiet mani no fitnesa kluba vēstulēm",
    "izlabojiet manu uzvārdu cita portāla sistēmā",
    "izsniedziet datus, ko par mani glabā mana skola",
    "pierakstiet mani atpakal veikala jaunumiem",
    # Russian, and Russian in Latin letters.
    "Исправьте мою фамилию в земельной книге",
    "Отпишите меня от газеты",
    "Отпишите меня от рассылки фитнес-клуба",
    "отпишите меня от журнала",
    "Подпишите меня снова на рассылку библиотеки",
    "Исправьте мою фамилию в базе поликлиники",
    "Предоставьте мне копию данных, которые хранит мой работодатель",
    "прошу выдать все мои данные, которые хранятся у моего оператора связи",
    "otpishite menja ot gazety",
    "ispravte moju familiju v zemelnoj knige",
    "podpishite menja snova na rassylku biblioteki",
    "Dobryj den. Otpishite menja ot rassylki magazina, pozhalujsta. Spasibo",
    "Прошу исключить меня из рассылки театра",
    "Моя фамилия написана с ошибкой в базе библиотеки, исправьте",
    "Исправьте мой адрес в реестре предприятий",
    "Хочу снова получать новости спортклуба, подпишите меня",
    "выдайте мне все данные, которые хранит обо мне мой другой портал",
    "otpishite menja ot rassylki teatra",
    # English.
    "My surname is wrong in the library system, please correct it",
    "Please unsubscribe me from the gym newsletter",
    "Take me off the yoga studio's mailing list",
    "Please sign me up again for the library newsletter",
    "My address is wrong in the land register, please fix it",
    "Please correct my name in the school database",
    "Send me a copy of all the data my employer holds about me",
    "I want a copy of the data my other portal keeps on me",
    "unsubscribe me from the newspaper",
    "Please correct my address at the bank",
    "Please unsubscribe me from the church newsletter",
    "unsubscribe me from my telecom's e-mails",
    "Please correct my surname in the hospital records",
    "Please remove me from the choir's mailing list",
    # Mails: greeting, the request, sign-off; and a request that leans on the sentence before it.
    "Labdien! Esmu jūsu klients. Lūdzu atrakstiet mani no sporta kluba jaunumiem. Ar cieņu, Anna",
    "Добрый день. Моя фамилия в базе библиотеки написана с ошибкой. Пожалуйста, исправьте её. Спасибо",
    "Hello,\n\nmy surname is misspelled in the library system. Please correct it.\n\nThanks, Mark",
]


@pytest.mark.parametrize("text", OTHERS)
def test_another_holders_news_or_records_run_no_action(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # The rest of a mail is still answered.
        (
            "Labdien!\n\nLūdzu atrakstiet mani no mājas čata. Vēl gribēju pajautāt, kā iesniegt ūdens "
            "skaitītāja rādījumus portālā?\n\nAr cieņu,\nIlze",
            "meter-readings-how",
        ),
        (
            "Здравствуйте.\n\nОтпишите меня от рассылки фитнес-клуба. И подскажите, где на портале "
            "посмотреть последний счёт?\n\nСпасибо, Ольга",
            "action:invoice",
        ),
    ],
)
def test_the_rest_of_a_mail_is_answered(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    found = answered(matcher, text)
    assert entry in found
    assert not STATE_CHANGING & set(found)


# Ours, by name or by no name at all: the action still runs.
OURS = [
    ("atrakstiet mani no jūsu jaunumiem", "action:consent-withdraw"),
    ("Lūdzu atrakstiet mani no Klientiem.lv ziņām", "action:consent-withdraw"),
    ("gribu atkal saņemt jūsu jaunumus, pierakstiet mani", "action:consent-give"),
    ("Lūdzu vairs nesūtiet man pārvaldnieka jaunumus", "action:consent-withdraw"),
    ("izsniedziet man visus datus, ko par mani glabājat", "action:access-request"),
    ("labojiet manu uzvārdu jūsu sistēmā", "action:correction-request"),
    ("lūdzu izlabojiet manu uzvārdu, pasē tas ir Kalniņa", "action:correction-request"),
    ("atrakstiet mani no jaunumiem", "action:consent-withdraw"),
    ("please remove me from your mailing list", "action:consent-withdraw"),
    ("unsubscribe me from your newsletter", "action:consent-withdraw"),
    ("please unsubscribe me from the newsletter", "action:consent-withdraw"),
    ("Please add me back to your newsletter", "action:consent-give"),
    ("send me a copy of the data you hold about me", "action:access-request"),
    ("please correct my surname in my account on your portal", "action:correction-request"),
    ("my surname is wrong in your records, please correct it", "action:correction-request"),
    ("отпишите меня от вашей рассылки", "action:consent-withdraw"),
    ("отпишите меня с вашей рассылки", "action:consent-withdraw"),
    ("отпишите меня от рассылки", "action:consent-withdraw"),
    ("прошу предоставить копию моих данных, которые хранятся у вас", "action:access-request"),
    ("моя фамилия в вашей системе написана неправильно, исправьте пожалуйста", "action:correction-request"),
    ("Исправьте мою фамилию в личном кабинете", "action:correction-request"),
    ("otpishite menja ot vashej rassylki", "action:consent-withdraw"),
    ("отпишите меня от всех рассылок", "action:consent-withdraw"),
    # A town where the flat is names no holder.
    ("мой адрес в Риге указан неправильно, исправьте", "action:correction-request"),
    ("please correct my address in Jurmala", "action:correction-request"),
    ("Lūdzu izlabojiet manu adresi Rīgā", "action:correction-request"),
    ("исправьте пожалуйста мою фамилию, она написана с ошибкой", "action:correction-request"),
    ("atrakstiet mani no jusu jaunumiem", "action:consent-withdraw"),
    ("ludzu izlabojiet manu uzvardu jusu sistema", "action:correction-request"),
    ("Labdien, gribu atkal sanemt jusu zinas, pierakstiet mani", "action:consent-give"),
    ("atsutiet man kopiju visiem datiem, ko par mani glabajat", "action:access-request"),
    ("Lūdzu, izņemiet mani no jaunumu saraksta", "action:consent-withdraw"),
    ("Please unsubscribe me from all your e-mails", "action:consent-withdraw"),
    ("Could you send me a copy of all my personal data", "action:access-request"),
    ("Please fix my surname, it is spelled wrong", "action:correction-request"),
    ("podpishite menja snova na novosti", "action:consent-give"),
    (
        "Labdien! Lūdzu atrakstiet mani no jūsu jaunumiem. Rēķinus turpiniet sūtīt. Ar cieņu, Jānis",
        "action:consent-withdraw",
    ),
    (
        "Hello, I no longer want your newsletter. Please unsubscribe me. Kind regards, Tom",
        "action:consent-withdraw",
    ),
    (
        "Labdien,\n\nsporta kluba jaunumus vairs nesaņemu, tas ir labi. Lūdzu atrakstiet mani arī no jūsu "
        "jaunumiem.\n\nPaldies, Rita",
        "action:consent-withdraw",
    ),
    (
        "Добрый день.\n\nВ вашей системе моя фамилия написана с ошибкой: Петрова вместо Петровой. Прошу "
        "исправить.\n\nС уважением, Анна Петрова",
        "action:correction-request",
    ),
]


@pytest.mark.parametrize(("text", "entry"), OURS)
def test_our_news_and_records_still_run_the_action(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("gribu sanemt bibliotekas jaunumus", ("bibliotekas",)),
        ("atrakstiet mani no mājas čata", ("majas", "cata")),
        ("отпишите меня от рассылки спортклуба", ("спортклуба",)),
        ("предоставьте данные, которые хранятся у моего работодателя", ("моего", "работодателя")),
        ("izlabojiet uzvārdu zemesgrāmatā", ("zemesgramata",)),
        ("unsubscribe me from Rimi's e-mails", ("rimi", "s", "emails")),
    ],
)
def test_the_holder_read_is_the_phrase_in_its_place(text: str, holder: tuple[str, ...]) -> None:
    found = holders.read(text)
    assert found.other
    assert found.phrase == holder


@pytest.mark.parametrize(
    "text",
    [
        "atrakstiet mani no jūsu jaunumiem, paldies",
        "Klientiem.lv ziņas vairs nesūtiet",
        "отпишите меня, пожалуйста, от новостей управляющего",
        "Hello, please take me off the manager's news e-mails.",
        "send me a copy of the data you hold about me",
    ],
)
def test_our_own_holder_words_read_as_ours(text: str) -> None:
    found = holders.read(text)
    assert found.ours
    assert not found.other


@pytest.mark.parametrize(
    "text",
    [
        "отпишите меня от рассылки навсегда",
        "unsubscribe me from the news right now",
        "take me off the list",
        "lūdzu izslēdziet mani no jaunumu saņēmēju saraksta",
        "прошу исключить меня из списка получателей новостей",
        "исправьте мою фамилию, в паспорте Петрова",
        "I want to receive news by email from next month",
        "no 1. marta nesūtiet man jaunumus",
    ],
)
def test_words_that_only_qualify_our_things_name_no_holder(text: str) -> None:
    assert not holders.read(text).other


def test_another_holders_news_asks_with_a_button_for_ours(matcher: KnowledgeMatcher) -> None:
    """Nothing runs; the resident may tap our withdrawal if that was meant, or ask a person
    (tests/handlers/test_scope_chat.py shows the buttons)."""
    (part,) = matcher.read("gribu atteikties no žurnāla abonementa").parts
    assert part.decision is Decision.CLARIFY and part.entry is None
    assert part.candidates[0].entry == "action:consent-withdraw"
