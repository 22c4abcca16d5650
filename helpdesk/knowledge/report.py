"""The JSON shape of a match, shared by ``helpdesk kb match``, ``kb misses`` and the benchmark."""

from __future__ import annotations

from typing import Any

from helpdesk.core.matching import Match


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
