"""Scheduled jobs (retention purge, token expiry, deadline reminders, outbox retry) and the
cluster-wide leadership that makes sure only one instance runs them."""
