"""The file store under ``HELPDESK_INVOICE_DIR``: invoice PDFs and the Art. 15 export files.

Rows keep paths relative to the directory (a moved directory keeps working); the handlers, the
senders and casework turn them into real paths here, where a stored path that would climb out of
the directory (``../``, an absolute path) is refused, and where a file is written so that a reader
never sees half of it.
"""

from __future__ import annotations

import os
from pathlib import Path


def stored_path(root: Path, relative: str) -> Path | None:
    """The absolute file path, or None if the stored path would leave the directory."""
    base = root.resolve()
    path = (base / relative).resolve()
    return path if path.is_relative_to(base) else None


def write_atomically(path: Path, content: bytes, *, mode: int | None = None) -> None:
    """Write ``content`` to a temporary file beside ``path`` and rename it into place: a sender
    reading the file at the same moment gets the old bytes or the new ones, never a mix.
    ``mode`` (e.g. 0o600 for personal data) is the temporary file's from its creation on, so no
    other user can open it in between."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
    with os.fdopen(descriptor, "wb") as handle:
        if mode is not None:
            os.fchmod(handle.fileno(), mode)  # a file left by a crash keeps its old mode through O_CREAT
        handle.write(content)
    temporary.replace(path)
