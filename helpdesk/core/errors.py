"""Exceptions that carry a message safe to show an operator or a resident."""


class HelpdeskError(Exception):
    """Base class for errors that the helpdesk raises on purpose."""


class ConfigurationError(HelpdeskError):
    """A setting is missing or wrong; the message names it in one line."""


class InputError(HelpdeskError):
    """Bad input at an edge (file, form, API body); the message says what is wrong."""
