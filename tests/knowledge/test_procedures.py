"""Another body's own procedure (``procedures``), a bank's own settings (``scope.BANK_ITSELF``) and a
story beside a question about another's business (``parts.choose``): near misses whose every other
word fits an entry. Every message here was written for these tests, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.knowledge import procedures, scope
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "text",
    [
        "kur var pasūtīt zemesgrāmatas izrakstu un cik tas izmaksā?",
        "zemesgrāmatas izdruka par manu dzīvokli, cik tas maksā",
        "как заказать выписку из земельной книги на квартиру?",
        "how do I order a Land Register extract for my flat?",
        "do we need to register the lease agreement in the land register?",
        "vai jāreģistrē zemesgrāmatā? kā ierakstīt hipotēku zemesgrāmatā",
        "нужно ли зарегистрировать договор аренды в земельной книге",
        "is the rental income from my flat taxed?",
        "vai ienākumi no dzīvokļa izīrēšanas jādeklarē?",
        "нужно ли платить налог с дохода от сдачи квартиры",
        "kur dabūt īres līguma paraugu?",
        "cik gadus jāglabā kvītis par komunālajiem maksājumiem?",
        "skolko let nado hranit kvitancii za kommunalku",
        "can I throw away old receipts from 2015?",
    ],
)
def test_another_bodys_procedure_is_named(text: str) -> None:
    assert procedures.named(shadow(text))


@pytest.mark.parametrize(
    "text",
    [
        # the land register as how a flat changed hands: the new or former owner's question
        "esmu ierakstīts zemesgrāmatā kā īpašnieks, kā redzēt rēķinus portālā?",
        "we are now registered in the Land Register as the owners, how do we get the invoices?",
        "the sale was registered in the Land Register last week",
        "в земельной книге уже всё переоформлено, что дальше?",
        # our own keeping, arriving, deducting and tenants
        "cik ilgi jūs glabājat manus datus?",
        "бумажный счёт до меня не доходит",
        "can the overpayment be deducted from the next invoice?",
        "my tenant wants the invoices in her e-mail too",
    ],
)
def test_our_own_subjects_name_no_procedure(text: str) -> None:
    assert not procedures.named(shadow(text))


@pytest.mark.parametrize(
    "text",
    [
        "kā pasūtīt zemesgrāmatas izrakstu par dzīvokli?",
        "as a landlord, should I register the rental agreement in the land register?",
        "сколько лет по закону надо хранить квитанции об оплате коммуналки?",
        "kā nomainīt tālruņa numuru Citadeles internetbankā? paziņojumi nāk uz veco",
        "Как поменять e-mail в интернет-банке Swedbank? Все письма идут на старую почту",
        "how do I update my phone number in my SEB internet bank?",
    ],
)
def test_another_bodys_procedure_answers_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []


def test_a_tenant_named_with_the_rental_contract_still_gets_the_invoices() -> None:
    text = "pēc īres līguma īrnieks maksā rēķinus, vai var sūtīt rēķinu arī viņam?"
    mentions = scope.Mentions.of(shadow(text))
    assert mentions.named
    assert not mentions.foreign("second-recipient")
    assert mentions.foreign("invoice-explained")


@pytest.mark.parametrize(
    "text",
    [
        "kā nomainīt e-pastu Luminor internetbankā?",
        "как поменять телефон в интернет-банке SEB",
        "change the notifications email in my Revolut",
    ],
)
def test_a_banks_own_settings_are_the_bank_itself(text: str) -> None:
    assert scope.Mentions.of(shadow(text)).bank_itself


@pytest.mark.parametrize(
    "text",
    [
        "can I pay the invoice I got by e-mail in my internet bank?",
        "kā nomainīt e-pastu, uz kuru nāk rēķini? maksāju Swedbank",
        "как оплатить счёт в интернет-банке Luminor",
    ],
)
def test_paying_through_a_bank_is_not_the_bank_itself(text: str) -> None:
    assert not scope.Mentions.of(shadow(text)).bank_itself
