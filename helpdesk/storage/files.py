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
    ``mode`` (e.g. 0o600 for personal data) is set before the file appears under its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    if mode is not None:
        temporary.chmod(mode)
    temporary.replace(path)
