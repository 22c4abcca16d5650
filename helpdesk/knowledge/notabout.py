"""A subject the resident says the question is not about: "kur rakstīt par portālu? ne par māju",
"куда писать, если вопрос про сайт, а не про дом?", "about the portal, not about the building".

The negated subject's words are the question's least meant, yet they score like any other: "māju"
meets the manager's contacts, and the resident asked for the portal's. The matcher reads the
question without them (``KnowledgeMatcher._query``); a piece that says nothing else is left with
nothing to match.
"""

from __future__ import annotations

import re

# "ne par", "nevis par", "не про", "а не о", "not about", then up to three words before a mark or a
# conjunction ("not about the house, but …"); "not about to pay" says nothing of a subject.
_WORD = r"[^\W\d_][\w'-]*"
_STOP = r"(?!(?:bet|but|но|а|a|un|и|i|and|or|vai|или|ili|to)\b)"
_NOT_ABOUT = re.compile(
    rf"(?<![\w-])(?:ne|nevis|не|not|rather than)\s+(?:par|про|о|об|по поводу|насчет|насчёт|pro|ob|"
    rf"po povodu|naschet|about|regarding|concerning)\s+{_STOP}{_WORD}(?:[ \t]+{_STOP}{_WORD}){{0,2}}",
    re.IGNORECASE,
)


def without(text: str) -> str:
    """``text`` without the subjects it says it is not about (this module's doc)."""
    return _NOT_ABOUT.sub(" ", text)
