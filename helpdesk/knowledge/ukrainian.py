"""Ukrainian words in a Russian message, read as their Russian counterparts.

Residents who came from Ukraine write Russian with Ukrainian words and letters in it ("привіт, як мені
подати показання лічильника?"). The Russian index knows none of them: "як" is not "как", "рахунок"
is not "счёт". Two folds bring them together, as the Latgalian table does for Latvian (``sounds``):

- a small table of the words that carry a question: the function words (question words, pronouns,
  prepositions, particles), the greetings and thanks, and the portal's own nouns and verbs (invoice,
  meter, readings, e-mail, news, to pay, to submit, to receive). Written from the language, not from
  any resident's message; the key is folded Ukrainian, the value folded Russian. A word Russian
  spells alike ("та": Ukrainian "and", Russian "that"; "вона", "адреса") is left out;
- the letters Russian has not: "і" (and "ї", folded to "і") is read "и", "є" "е", "ґ" "г", so that a
  word Russian shares ("порталі", "кабінет", "персональні") meets the stemmer as Russian does.

The message stays Russian: its reply language is the Russian one (Cyrillic is Russian, ``language``).
"""

from __future__ import annotations

import re

from helpdesk.core.text import fold


def _table(groups: dict[str, str]) -> dict[str, str]:
    """{Ukrainian form: Russian word} from {"form form …": "russian word"}, folded."""
    return {fold(form): fold(russian) for forms, russian in groups.items() for form in forms.split()}


UKRAINIAN = _table(
    {
        # question words and particles
        "як": "как",
        "де": "где",
        "коли": "когда",
        "чому": "почему",
        "навіщо": "зачем",
        "скільки": "сколько",
        "хто": "кто",
        "що": "что",
        "чи": "ли",
        "куди": "куда",
        "звідки": "откуда",
        "який": "какой",
        "яка яку": "какая",
        "яке": "какое",
        "які яких": "какие",
        "можна": "можно",
        "потрібно треба": "нужно",
        "якщо": "если",
        "щоб": "чтобы",
        # pronouns
        "мені": "мне",
        "мене": "меня",
        "мій": "мой",
        "моє": "мое",
        "мої": "мои",
        "моєї": "моей",
        "моєму": "моему",
        "ми": "мы",
        "ви": "вы",
        "ти": "ты",
        "він": "он",
        "вони": "они",
        "цей": "этот",
        "ця": "эта",
        "це": "это",
        "ці": "эти",
        # prepositions, conjunctions, particles
        "від": "от",
        "з із": "из",
        "зі": "со",
        "після": "после",
        "і й": "и",
        "але": "но",
        "або": "или",
        "також": "также",
        "теж": "тоже",
        "ще": "еще",
        "вже": "уже",
        "тільки": "только",
        "немає": "нет",
        "ні": "нет",
        # greetings and thanks
        "привіт": "привет",
        "вітаю": "здравствуйте",
        "дякую дякуємо": "спасибо",
        "дуже": "очень",
        "побачення": "свидания",
        # the portal's verbs
        "можу": "могу",
        "отримати отримувати": "получить",
        "отримую": "получаю",
        "отримав": "получил",
        "отримала": "получила",
        "прийшов": "пришел",
        "прийшла": "пришла",
        "прийшли": "пришли",
        "подати": "подать",
        "змінити поміняти": "изменить",
        "сплатити оплатити заплатити": "оплатить",
        "сплатив оплатив": "оплатил",
        "сплатила": "оплатила",
        "надіслати": "прислать",
        "надішліть": "пришлите",
        "відписатися": "отписаться",
        "відпишіть": "отпишите",
        "зареєструватися зареєструватись": "зарегистрироваться",
        "увійти": "войти",
        "підкажіть": "подскажите",
        "допоможіть": "помогите",
        "видаліть": "удалите",
        "видалити": "удалить",
        "виправити": "исправить",
        # the portal's nouns
        "рахунок рахунку рахунком": "счет",
        "рахунки рахунків рахунках рахункам": "счета",
        "лічильник лічильника лічильнику": "счетчик",
        "лічильники лічильників": "счетчики",
        "показники показників показання": "показания",
        "пошта": "почта",
        "пошту": "почту",
        "пошти поштою": "почты",
        "електронна": "электронная",
        "електронну": "электронную",
        "електронної": "электронной",
        "розсилка": "рассылка",
        "розсилки": "рассылки",
        "розсилку": "рассылку",
        "новини": "новости",
        "новин": "новостей",
        "дані даних": "данные",
        "власник": "владелец",
        "борг заборгованість": "долг",
        "картка карткою картку": "карта",
        "договір": "договор",
        "місяць": "месяц",
        "місяця": "месяца",
        "людина людиною": "человек",
    }
)
# Two words that are one: "будь ласка" is "пожалуйста" ("будь", alone, is Russian too).
PHRASES = ((re.compile(r"\bбудь ласка\b"), "пожалуйста"),)
_LETTERS = str.maketrans({"і": "и", "є": "е", "ґ": "г"})
UKRAINIAN_LETTER = re.compile("[ієґ]")


def russian_word(token: str) -> str:
    """One folded word as its Russian counterpart: the table's, else its letters Russian's."""
    found = UKRAINIAN.get(token)
    if found is not None:
        return found
    return token.translate(_LETTERS) if UKRAINIAN_LETTER.search(token) else token


def russian_phrases(folded: str) -> str:
    """``folded`` with the two-word phrases of :data:`PHRASES` in their Russian form."""
    if "ласка" in folded:
        for pattern, replacement in PHRASES:
            folded = pattern.sub(replacement, folded)
    return folded


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")


def as_russian(folded: str) -> str:
    """``folded`` with each Ukrainian word in its Russian form (offsets change): what reads a
    sentence for its question words or its thanks ("як …", "дякую") reads it as Russian."""
    if not UKRAINIAN_LETTER.search(folded) and not any(word in UKRAINIAN for word in folded.split()):
        return folded
    return _CYRILLIC_WORD.sub(lambda found: russian_word(found.group(0)), russian_phrases(folded))
