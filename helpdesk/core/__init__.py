"""The bottom layer: channel-neutral types (:mod:`.types`) and the conversation state
(:mod:`.conversation`), the rules every part shares (e-mail addresses, confirmation codes,
deadlines, redaction, secrets, passwords, TOTP, record shapes) and the ports through which the
upper layers send without naming a channel (:mod:`.ports`).

Pure: imports nothing else of ours (not storage, not settings), only the standard library and
small libraries. An import-linter contract in pyproject.toml keeps it so.
"""
