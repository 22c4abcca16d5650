"""The portal API under ``/api/v1``: the portal pushes residents and invoices, mints link tokens
and reads news consents. Bearer API keys; JSON errors; OpenAPI 3.1 at ``/api/v1/openapi.json``."""
