"""Operations: structured, redacted logging; in-process counters; /healthz and /metrics."""
