"""The demo residents and what happened to them. Invented people; codes are not real ones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class DemoResident:
    id: str
    name: str
    address: str
    invoice_email: str
    news_email: str | None
    language: str
    personal_code: str
    base_amount: Decimal


RESIDENTS: tuple[DemoResident, ...] = (
    DemoResident(
        "R-1001",
        "Jānis Bērziņš",
        "Brīvības iela 1-5, Rīga",
        "janis.berzins@example.lv",
        None,
        "lv",
        "010180-10000",
        Decimal("54.20"),
    ),
    DemoResident(
        "R-1002",
        "Līga Kalniņa",
        "Tērbatas iela 14-3, Rīga",
        "liga.kalnina@example.lv",
        "liga.zinas@example.lv",
        "lv",
        "321234-10000",
        Decimal("61.75"),
    ),
    DemoResident(
        "R-1003",
        "Ivans Petrovs",
        "Maskavas iela 250-17, Rīga",
        "ivans.petrovs@example.lv",
        None,
        "ru",
        "150372-20000",
        Decimal("47.90"),
    ),
    DemoResident(
        "R-1004",
        "Olga Smirnova",
        "Rīgas iela 22-8, Daugavpils",
        "olga.smirnova@example.lv",
        None,
        "ru",
        "280765-20000",
        Decimal("39.10"),
    ),
    DemoResident(
        "R-1005",
        "Emily Clarke",
        "Krišjāņa Valdemāra iela 33-2, Rīga",
        "emily.clarke@example.com",
        None,
        "en",
        "330000-10000",
        Decimal("72.40"),
    ),
)

# Invoice lines: (Latvian label, share of the total).
SERVICES: tuple[tuple[str, Decimal], ...] = (
    ("Apkure", Decimal("0.42")),
    ("Karstais ūdens", Decimal("0.18")),
    ("Aukstais ūdens un kanalizācija", Decimal("0.12")),
    ("Mājas apsaimniekošana", Decimal("0.20")),
    ("Atkritumu izvešana", Decimal("0.08")),
)

ACCESS_REQUEST_RESIDENT = "R-1002"
QUESTION_RESIDENT = "R-1003"
# The demo access request's mail (its third line is the queue summary).
ACCESS_TEXT = "Labdien!\n\nLūdzu, atsūtiet visus manus personas datus, kas jums ir.\n\nLīga Kalniņa"
QUESTION_TEXT = "Почему в этом месяце счёт за отопление больше, чем в прошлом?"
# A correction request an agent has answered with a question and parked as waiting for the resident.
CORRECTION_RESIDENT = "R-1004"
CORRECTION_TEXT = (
    "Здравствуйте!\n\nЯ поменяла фамилию. Пожалуйста, исправьте её в моих данных.\n\nОльга Смирнова"
)
CORRECTION_QUESTION = (
    "Здравствуйте! Чтобы исправить фамилию, пришлите, пожалуйста, копию документа о её смене "
    "(например, свидетельства о браке). С уважением, служба поддержки Klientiem.lv"
)
