"""Repositories: the only modules that build SQL. One module per area, plain async functions.

Functions take an ``AsyncSession`` and never commit: the caller owns the unit of work, so a
handler's database changes (message, request, audit row) land together or not at all.
"""
