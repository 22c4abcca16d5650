"""Resident helpdesk for the Klientiem.lv / MansDzib.lv billing portal.

One package whose subpackages are the layers, bottom to top (docs/architecture.md; the
import-linter contracts in pyproject.toml hold the order): :mod:`.core`; :mod:`.settings` and
:mod:`.i18n`; :mod:`.storage`; :mod:`.services`; :mod:`.knowledge` and :mod:`.ops`;
:mod:`.handlers`; :mod:`.casework`; the channels :mod:`.bot`, :mod:`.mailbox`, :mod:`.console`, and
:mod:`.jobs` and :mod:`.demo`, independent of each other; :mod:`.app` (wiring); :mod:`.commands`
and :mod:`.cli` (the ``helpdesk`` command). Each imports only the layers below it; each
subpackage's docstring says what lives there and what it may import. This module imports nothing.
"""

__version__ = "0.1.0"
