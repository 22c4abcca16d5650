"""Console pages, one module per concern; each exposes ``routes`` (an aiohttp RouteTableDef)."""
