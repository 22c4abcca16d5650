"""The agents' web console and the portal API, one aiohttp application (see :mod:`.app`)."""
