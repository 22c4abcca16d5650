"""Planned works on the house: out of the KB's scope, not a repair to report.

"Jumta remonts notiks maijā", "the roof will be repaired next year", "когда будет ремонт подъезда":
the words are the repairs entry's (a roof, a stairwell, a repair), but that entry is for leaks,
breakdowns and emergencies, and says whom to call about one. When the house will be renovated, what
the works will cost and whether they are planned at all is the manager's plan, which the KB does
not hold: such a piece is read as a near miss (``scope.Mentions``) and goes to a person. A piece
that also names a fault ("the roof leaks, will it be repaired next year?") is a repair still.

The patterns run over folded text (``reading.shadow``): lower case, no diacritics.
"""

from __future__ import annotations

import re

# Works on the house: a repair, a renovation, insulation, a new coat of paint.
_WORKS = (
    r"remont\w*|izremont\w*|renov\w*|repair\w*|refurbish\w*|repaint\w*|fasad\w*|facade\w*|"
    r"siltinasan\w*|parkraso\w*|ремонт\w*|отремонт\w*|реконструкц\w*|фасад\w*|утеплен\w*|"
    r"перекрас\w*|покрас\w*"
)
# ... said of the future or of a plan: "notiks", "būs", "nākamgad", "maijā", "planned", "next
# year", "будет", "планируется", "в следующем году".
_MONTHS_LV = r"janvari|februari|marta|aprili|maija|junija|julija|augusta|septembri|oktobri|novembri|decembri"
_MONTHS_RU = r"январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре"
_WHEN = (
    r"notiks|bus\b|sakies|saksies|saks\b|planot\w*|ieplanot\w*|paredzet\w*|nakamgad\w*|"
    r"nakamaj\w* (?:gad|vasar|pavasar|rudeni|ziem)\w*|sogad|saja gada|pavasari|vasara|rudeni|ziema|"
    rf"(?:{_MONTHS_LV})\b|"
    r"planned|scheduled|plans?\b|planning|upcoming|next (?:year|spring|summer|autumn|fall|winter|month)|"
    r"this (?:year|spring|summer|autumn|fall|winter)|in (?:spring|summer|autumn|the fall|20\d\d)|"
    r"will (?:\w+ ){0,2}be (?:repaired|renovated|repainted|refurbished|redone)|going to be|"
    r"будет|будут|планир\w*|запланир\w*|в следующем году|в этом году|летом|весной|осенью|"
    rf"в (?:{_MONTHS_RU})|капитальн\w*"
)
# A fault named beside the works: a leak, something broken or not working, an emergency.
_FAULT = (
    r"tek\w*|tecet\w*|pil\b|plis\w*|salauz\w*|saluz\w*|bojat\w*|bojajum\w*|nestrada\w*|nedarboj\w*|"
    r"neaizver\w*|avarij\w*|applud\w*|nav (?:karst|silt|auksts|udens|gaism)\w*|"
    r"leak\w*|broken|break\w*|burst\w*|flood\w*|not working|doesn.?t work|stuck|dripping|"
    r"теч[её]т|протек\w*|протечк\w*|залив\w*|сломал\w*|сломан\w*|не работает|авари\w*|прорва\w*|"
    r"затоп\w*|капает"
)
WORKS = re.compile(rf"(?<![\w.-])(?:{_WORKS})")
WHEN = re.compile(rf"(?<![\w.-])(?:{_WHEN})")
FAULT = re.compile(rf"(?<![\w.-])(?:{_FAULT})")


def planned(folded: str) -> bool:
    """Whether folded text is about works planned on the house (works said of the future or of a
    plan) rather than a fault to report."""
    return bool(WORKS.search(folded) and WHEN.search(folded) and not FAULT.search(folded))
