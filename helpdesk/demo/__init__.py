"""Demo data for ``helpdesk demo``: residents, real invoice PDFs, consent history, queue items."""
