"""Resident helpdesk for the Klientiem.lv / MansDzib.lv billing portal."""

__version__ = "0.1.0"
