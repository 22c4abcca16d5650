"""Clear requests for a state-changing action or a person, read from what the whole message says
(``directions``, ``operations``): the news wanted again, a personal detail to correct, copies of all
invoices, an impatient demand for a person. And their near neighbours, which must not run the
action. Every message here was written for this test."""

from __future__ import annotations

import pytest

from helpdesk.knowledge import directions, operations, scope
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import shadow
from helpdesk.knowledge.text import key
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # The news wanted again after a withdrawal: the withdrawal is the story, not the request.
        ("kādreiz atrakstījos, bet gribētu no jauna saņemt jūsu jaunumus uz e-pastu", "action:consent-give"),
        ("pagājušajā gadā atteicos no jaunumiem, bet tagad gribu tos atkal saņemt", "action:consent-give"),
        (
            "я отписалась от рассылки, но теперь хочу снова получать новости управляющего",
            "action:consent-give",
        ),
        ("ja otpisalsja ot novostej, no hochu snova poluchat rassylku", "action:consent-give"),
        (
            "I unsubscribed some time ago, but now I want to receive the manager's news again",
            "action:consent-give",
        ),
        # A personal detail to correct, with the right value the KB cannot know.
        (
            "my surname is misspelled in your records, please fix it: it's Ozoliņa not Ozolina",
            "action:correction-request",
        ),
        # "misspelled" is "wrong": one word of the entry's, not an unknown one beside "name".
        ("my first name is misspelt in your system, please fix it, it is Līga", "action:correction-request"),
        (
            "jūsu datos mans uzvārds ir nepareizs, jābūt Bērziņa, lūdzu izlabojiet",
            "action:correction-request",
        ),
        ("u vas nepravilno zapisana moja familija, isprav'te pozhalujsta", "action:correction-request"),
        (
            "Добрый день. У вас в данных моя фамилия записана как «Ivanovs», а в паспорте «Ivanov». "
            "Прошу исправить. С уважением, Олег",
            "action:correction-request",
        ),
        # Copies of all invoices since a year are the invoices, not a copy of one's data.
        ("could I get copies of all invoices since 2021", "action:invoice-list"),
        ("I would like copies of all my invoices since 2020", "action:invoice-list"),
        ("нужны копии всех счетов с 2022 года", "action:invoice-list"),
        ("vajag visu rēķinu kopijas kopš 2022. gada", "action:invoice-list"),
        ("prishlite vse scheta za 2023 god", "action:invoice-list"),
        # ... wanted for the tax return: the purpose, not another subject.
        (
            "Hello, for my tax return I need all invoices for my flat for 2024. Please send them.",
            "action:invoice-list",
        ),
        ("нужны все счета за 2024 год для налоговой декларации, пришлите пожалуйста", "action:invoice-list"),
        (
            "lūdzu atsūtiet visus rēķinus par 2024. gadu, tie vajadzīgi nodokļu atmaksai",
            "action:invoice-list",
        ),
        ("atsūtiet šī mēneša rēķinu", "action:invoice"),
        ("pls send me this month's bill here", "action:invoice"),
        # English with the Latvian word for the invoice, as residents in Latvia write it.
        ("could you send me this months rēķins here pls", "action:invoice"),
        # The news asked back in the imperative, after the story of unsubscribing.
        (
            "Добрый день! В прошлом году я отписалась от новостей управляющего. У нас в доме будет "
            "замена лифта, и я хочу быть в курсе. Прошу снова подписать меня на рассылку. Спасибо, Вера",
            "action:consent-give",
        ),
        (
            "Labdien! Pirms pāris gadiem atrakstījos no jaunumiem. Tagad gribu zināt, kas notiek mājā. "
            "Lūdzu pierakstiet mani atkal jaunumiem. Paldies, Ieva",
            "action:consent-give",
        ),
        (
            "Hi, some time ago I unsubscribed from the manager's news. Please add me back to the "
            "newsletter. Thanks, Paul",
            "action:consent-give",
        ),
        # ... for news of the house's own affairs (a renovation, insulation), which are no other subject.
        (
            "Labdien, pirms gada atteicos no jaunumiem. Tagad mūsu mājai sāksies renovācija, un gribētu "
            "atkal saņemt pārvaldnieka jaunumus. Paldies, Līga",
            "action:consent-give",
        ),
        (
            "Здравствуйте, я когда-то отписался от рассылки. Сейчас у нас будет утепление дома, и я "
            "хотел бы снова получать новости управляющего. Спасибо",
            "action:consent-give",
        ),
        (
            "Hi, I unsubscribed a while ago. Our building's renovation starts soon and I'd like to "
            "receive the manager's news again. Thanks",
            "action:consent-give",
        ),
        # Stopping the news, its sentence diluted by the reasons ("I don't need it, it comes too often").
        (
            "Добрый день, отпишите меня, пожалуйста, от вашей рассылки, она мне не нужна, приходит "
            "слишком часто. Счета пусть приходят как раньше. Спасибо, Игорь",
            "action:consent-withdraw",
        ),
        (
            "Dobryj den, otpishite menja pozhalujsta ot vashej rassylki, mne ona ne nuzhna, prihodit "
            "slishkom chasto. Scheta pust prihodjat kak ran'she. Spasibo, Igor",
            "action:consent-withdraw",
        ),
        # A person demanded in impatient words, beside a complaint about the bot.
        ("nu dodiet taču kādu cilvēku, bots neko nesaprot", "action:human"),
        ("vai jūs vispār atbildat?? jau otro dienu gaidu, dodiet kādu cilvēku!", "action:human"),
        ("дайте мне уже живого человека", "action:human"),
        ("dajte zhivogo cheloveka", "action:human"),
        ("just give me a real person, this bot is useless", "action:human"),
    ],
)
def test_clear_requests_run_their_action(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        # Questions about unsubscribing, and news that come again unwished.
        ("kā atteikties no jaunumiem?", "action:consent-give"),
        ("I unsubscribed but the news keep coming again", "action:consent-give"),
        ("я отписался, а новости снова приходят", "action:consent-give"),
        ("es atrakstījos, bet jaunumi atkal nāk", "action:consent-give"),
        ("I want to receive the Maxima newsletter again", "action:consent-give"),  # someone else's
        ("atsūtiet vēlreiz rēķinu", "action:consent-withdraw"),
        ("please send me the invoice again, I deleted it", "action:consent-give"),
        # Subscribed again in the past, and now wishing to stop: a wish, but not for the news.
        ("я снова подписалась на новости, а теперь хочу отписаться", "action:consent-give"),
        ("es atkal pierakstījos jaunumiem, bet tagad gribu atrakstīties", "action:consent-give"),
        # A meter reading to fix is no correction of personal data, nor is a question about the way.
        (
            "Please correct my data: I typed 1234 for hot water, it should be 1243.",
            "action:correction-request",
        ),
        ("es ievadīju nepareizu rādījumu, kā to izlabot", "action:correction-request"),
        ("ошибся в показаниях счётчика, как исправить", "action:correction-request"),
        (
            "Hi, if my surname on the portal is wrong, what's the way to get it fixed? No edit button.",
            "action:correction-request",
        ),
        ("the invoice amount is wrong, please correct it", "action:correction-request"),
        # A tax bill is another subject's.
        ("send me my property tax invoice", "action:invoice"),
        ("пришлите счёт на налог на недвижимость", "action:invoice"),
        # "All my invoices" in a question that is no request for the list.
        ("visi mani rēķini nonāk surogātpastā", "action:invoice-list"),
        ("why are all my invoices so high?", "action:invoice-list"),
        # A person who is to receive the invoice, or someone needed for a repair, is no demand.
        ("can another person receive my invoice too?", "action:human"),
        ("I need someone to fix the leaking pipe in the bathroom", "action:human"),
    ],
)
def test_near_neighbours_do_not_run_it(matcher: KnowledgeMatcher, text: str, action: str) -> None:
    assert action not in answered(matcher, text)


def test_a_wish_to_stop_names_no_give() -> None:
    assert operations.GIVE not in operations.named("I want to unsubscribe from the news")
    assert operations.GIVE not in operations.named("хочу отписаться от рассылки")
    assert operations.GIVE in operations.named("I unsubscribed, but I want to get the news again")


def test_the_story_of_unsubscribing_asks_nothing_when_the_news_are_wanted_back(
    matcher: KnowledgeMatcher,
) -> None:
    text = (
        "Добрый день! Год назад я отказалась от рассылки управляющего. Сейчас в доме будет ремонт "
        "фасада, и я хочу быть в курсе. Прошу снова присылать мне новости. Спасибо, Нина"
    )
    assert [part.entry for part in matcher.read(text).parts] == ["action:consent-give"]


def test_the_news_wanted_back_needs_the_news_named() -> None:
    assert directions.resumes("atkal sūtiet man jaunumus, lūdzu")
    assert not directions.resumes("please send the invoice again and stop the news")
    assert directions.resumes("прошу снова подписать меня на рассылку")
    assert directions.resumes("add me back to the newsletter")
    assert not directions.resumes("I want to receive the invoice again")
    assert not directions.resumes("я снова подписалась на новости")


def test_the_wish_must_be_for_receiving_again() -> None:
    assert operations.wishes_again("хочу опять получать рассылку")
    assert operations.wishes_again("gribu atkal saņemt ziņas")
    assert not operations.wishes_again("I want to unsubscribe again, I keep receiving the news")
    assert not operations.wishes_again("I don't want to receive the news again")
    assert not operations.wishes_again("the news arrive again, I get them every week")


def test_a_correction_names_a_personal_detail_and_no_reading() -> None:
    assert directions.corrects_personal_data("my address is wrong in your records, please fix it")
    assert not directions.corrects_personal_data("my water reading is wrong, please fix it")
    assert not directions.corrects_personal_data("my e-mail address is wrong, please correct it")
    assert not directions.corrects_personal_data("how do I correct my surname?")
    assert not directions.corrects_personal_data("please correct the invoice amount")


def test_a_demand_is_an_imperative_for_a_person() -> None:
    assert directions.demands_person("davai cilvēku lūdzu")
    assert directions.demands_person("соедините меня с оператором")
    assert not directions.demands_person("don't give me a person, answer yourself")
    assert not directions.demands_person("I need someone to receive my invoices")
    assert not directions.demands_person("give me my invoice")


def test_copies_of_invoices_ask_for_no_data() -> None:
    assert operations.ACCESS not in operations.named("copies of all invoices since 2021")
    assert operations.ACCESS in operations.named("send me a copy of my data and my invoices")


def test_all_forms_of_vse_share_one_key() -> None:
    assert {key(form, "ru") for form in ("все", "всех", "всем", "весь", "вся")} == {"все"}


def test_all_invoices_rule_out_one_invoice_unless_one_is_named() -> None:
    message = directions.Message()
    assert directions.INVOICE in directions.ruled_out(message, "copies of all my bills since 2020")
    assert directions.INVOICE in directions.ruled_out(message, "atsūtiet visus rēķinus par 2023. gadu")
    assert directions.INVOICE in directions.ruled_out(message, "нужны копии всех счетов с 2021 года")
    assert directions.INVOICE not in directions.ruled_out(
        message, "пришлите последний счёт и все счета за 2023"
    )
    assert directions.INVOICE not in directions.ruled_out(message, "send me this month's invoice")


def test_stopping_the_news_is_an_imperative_of_unsubscribing_with_the_news_named() -> None:
    assert directions.stops("atrakstiet mani no jaunumiem, tie man nav vajadzīgi")
    assert directions.stops("take me off your newsletter, it comes every day")
    assert not directions.stops("kā atrakstīties no jaunumiem?")
    assert not directions.stops("did you unsubscribe me from the news?")
    assert not directions.stops("nesūtiet man papīra rēķinu, jaunumus gan sūtiet")
    assert not directions.Message.of("es atrakstījos, bet gribu atkal saņemt jaunumus").stops


def test_a_person_asked_to_call_or_answer_is_a_demand() -> None:
    assert directions.demands_person("если телефона нет, пусть мне перезвонит кто-нибудь из сотрудников")
    assert directions.demands_person("please have someone from your office call me back")
    assert directions.demands_person("lai man piezvana kāds darbinieks")
    assert not directions.demands_person("let my husband receive the invoices too")
    assert not directions.demands_person("let someone fix the radiator in the stairwell")


def test_taxes_as_the_purpose_of_the_invoices_are_no_other_subject() -> None:
    wanted = scope.Mentions.of(shadow("vajag visus rēķinus nodokļu deklarācijai"))
    assert not wanted.foreign("action:invoice-list")
    assert wanted.foreign("pay-online")
    bill = scope.Mentions.of(shadow("send me my property tax bill"))
    assert bill.foreign("action:invoice") and bill.foreign("action:invoice-list")


def test_the_house_s_affairs_excuse_only_the_wish_for_the_news() -> None:
    news = scope.Mentions.of(shadow("mājai sāksies siltināšana, gribu atkal saņemt jaunumus"))
    assert not news.foreign("action:consent-give")
    assert news.foreign("action:consent-withdraw") and news.foreign("contact-manager")
    other = scope.Mentions.of(shadow("I want news of the renovation from the city council"))
    assert other.foreign("action:consent-give")


@pytest.mark.parametrize(
    "text",
    [
        "unsubscribe me from the Maxima newsletter, it comes every day",
        "отпишите меня от рассылки Tele2, она мне не нужна",
        "gribu atkal saņemt Maxima jaunumus",
        "хочу снова получать рассылку Rimi",
        "Labdien, pirms gada atteicos no Elektrum jaunumiem. Tagad gribētu atkal tos saņemt. Paldies",
        "my name is wrong on my Elektrum invoice, please correct it",
        "lūdzu izlabojiet manu uzvārdu Latvenergo rēķinā",
        "give me a person from Latvenergo",
        "Hello, for my tax return I need all Latvenergo invoices for 2024.",
    ],
)
def test_another_company_s_news_bill_or_staff_run_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Please correct my address in the population register",
        "Lūdzu izlabojiet manu vārdu Iedzīvotāju reģistrā",
        "Исправьте мои данные в Латвийской почте, адрес неправильный",
        "Latvijas Pastā ir nepareiza mana adrese, lūdzu izlabojiet",
    ],
)
def test_a_correction_in_another_register_runs_no_action(matcher: KnowledgeMatcher, text: str) -> None:
    """The population register and the post office keep their own records of a name or address."""
    assert not [e for e in answered(matcher, text) if e and e.startswith("action:")]


@pytest.mark.parametrize(
    ("text", "elsewhere"),
    [
        ("Atrakstiet mani no sporta kluba jaunumiem", True),
        ("Atrakstiet mani no jūsu jaunumiem", False),
        ("Отпишите меня от ваших новостей", False),
        ("Nav pienācis rēķins", False),
    ],
)
def test_a_part_says_when_it_is_about_another_holder(
    matcher: KnowledgeMatcher, text: str, elsewhere: bool
) -> None:
    """The reply says we cannot act on another's list only when the part is about one (``Part.elsewhere``)."""
    (part,) = matcher.read(text).parts
    assert part.elsewhere is elsewhere
