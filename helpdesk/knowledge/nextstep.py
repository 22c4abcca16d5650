"""What the resident says they will do next: "skaidrs, tad rakstīšu pārvaldei", "ok, I'll call the
manager then", "тогда позвоню в управляющую".

Said with thanks or a goodbye, it closes the conversation. It names a subject (the manager, the
invoice, the readings), so its words score an entry, but it asks nothing: answering it with the
manager's contacts repeats what the resident has just decided to do. ``reading.parse`` drops such
sentences from a message that thanks or says goodbye and has nothing else to ask, so the message is
a closing; a question beside them ("I'll call the manager, but what is his number?") is read as
before.

The patterns run over folded text (``reading.shadow``): lower case, no diacritics.
"""

from __future__ import annotations

import re

# Latvian: a verb in the first person of the future ("rakstīšu", "piezvanīšu", "sazināšos").
_LV = (
    r"(?:uz|aiz|pa|pie)?rakstisu|(?:pa|pie)?zvanisu|sazinasos|versisos|griezisos|(?:pa)?jautasu|"
    r"(?:pa)?prasisu|aiziesu|(?:pa)?meginasu|(?:pa)?gaidisu|(?:pa|ap)?skatisos|parbaudisu|izdarisu|"
    r"nosutisu|iesniegsu|samaksasu"
)
# Russian, in Cyrillic and in Latin letters: a perfective verb in the first person ("напишу", "позвоню").
_RU = (
    r"напишу|позвоню|свяжусь|обращусь|спрошу|схожу|зайду|попробую|подожду|проверю|посмотрю|сделаю|"
    r"отправлю|оплачу|napishu|pozvonju|pozvonyu|svjazhus|obrashchus|obrashus|sproshu|poprobuju|"
    r"podozhdu|proverju|posmotrju|sdelaju"
)
# English: "I'll", "I will", "I'm going to" and a verb of contacting, trying or waiting.
_EN = (
    r"(?:i'?ll|i will|i'?m going to|i am going to|i shall) (?:just |then |now |probably |try to )?"
    r"(?:write|call|ring|phone|contact|ask|e-?mail|text|get in touch|reach out|try|wait|check|look|do|"
    r"go|send|pay|submit)"
)
_ANNOUNCES = re.compile(rf"(?<![\w'])(?:{_LV}|{_RU}|{_EN})\b")


def announces(folded: str) -> bool:
    """Whether a sentence of folded text says what its writer will do next (this module's doc)."""
    return bool(_ANNOUNCES.search(folded))
