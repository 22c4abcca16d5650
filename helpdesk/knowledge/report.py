"""The JSON shape of a match, shared by ``helpdesk kb match``, ``kb misses`` and the benchmark."""

from __future__ import annotations

from typing import Any

from helpdesk.core.matching import Match, Reading


def match_record(match: Match) -> dict[str, Any]:
    """``{"entry", "score", "decision", "language", "candidates"}``; ``entry`` is null unless the
    decision is ``answer`` (for ``clarify`` the choices are in ``candidates``)."""
    return {
        "entry": match.entry,
        "score": round(match.score, 1),
        "decision": str(match.decision),
        "language": match.language,
        "candidates": [{"entry": c.entry, "score": round(c.score, 1)} for c in match.candidates],
    }


def reading_record(reading: Reading) -> dict[str, Any]:
    """``match_record`` of the main question, plus ``kind`` (question, closing, smalltalk) and
    ``parts``: each part's ``text``, ``start``, ``end``, ``entry``, ``score``, ``decision`` and
    ``candidates``."""
    record = match_record(reading.main)
    record["kind"] = str(reading.kind)
    record["parts"] = [
        {
            "text": part.text,
            "start": part.start,
            "end": part.end,
            "entry": part.entry,
            "score": round(part.score, 1),
            "decision": str(part.decision),
            "candidates": [{"entry": c.entry, "score": round(c.score, 1)} for c in part.candidates],
        }
        for part in reading.parts
    ]
    return record
