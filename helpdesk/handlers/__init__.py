"""Channel-neutral intent handlers: ``Inquiry`` in, ``Reply`` out. No aiogram, no mail code here.

:func:`helpdesk.handlers.dispatch.handle` is the one entry point; each module handles one intent.
"""
