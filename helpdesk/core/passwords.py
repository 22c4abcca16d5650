"""Agent passwords: argon2id hashes (argon2-cffi, RFC 9106 low-memory profile).

A hash carries its own parameters, so verifying follows whatever cost the hash was made with;
only making a hash takes a cost. Production uses :data:`PRODUCTION_COST`; the tests pass
argon2-cffi's cheapest profile to :func:`hash_password` when they seed agents, so a sign-in in a
test costs microseconds instead of a tenth of a second (one test checks the production cost).

Both calls are slow on purpose (about 0.1 s at production cost) and release the GIL: callers on an
event loop run them in a thread (the console's :class:`helpdesk.console.throttle.PasswordGate`).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: What every hash made outside the tests uses: 64 MiB, 3 passes, 4 lanes.
PRODUCTION_COST: Parameters = profiles.RFC_9106_LOW_MEMORY

MIN_PASSWORD_LENGTH = 10


def _hasher(cost: Parameters) -> PasswordHasher:
    return PasswordHasher.from_parameters(cost)


def check_password_length(password: str) -> None:
    """Raise ValueError for a password too short to keep; before any work is done with it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str, *, cost: Parameters = PRODUCTION_COST) -> str:
    check_password_length(password)
    return str(_hasher(cost).hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed hash is a mismatch, never an error."""
    try:
        return bool(_hasher(PRODUCTION_COST).verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def decoy_hash() -> str:
    """A hash of a random password, made once per process at the production cost.

    Verifying against it costs as much as a real check, so a sign-in with an unknown user name
    takes as long to refuse as a wrong password and the response time does not tell who exists.
    """
    return str(_hasher(PRODUCTION_COST).hash(secrets.token_urlsafe(24)))
