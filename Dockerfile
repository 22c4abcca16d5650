# The helpdesk image: one image for every component (bot, mailbox, jobs, console, migrate); the
# command picks the component. Slim base, no compilers, no dev extras, runs as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY helpdesk ./helpdesk
# Runtime dependencies only: the [dev] extra (pytest, mypy, playwright...) stays out of the image.
RUN pip install . \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/helpdesk helpdesk \
    && mkdir -p /var/lib/helpdesk/invoices \
    && chown -R helpdesk:helpdesk /var/lib/helpdesk
COPY --chmod=0755 scripts/docker-entrypoint.sh /usr/local/bin/helpdesk-entrypoint

USER helpdesk
ENV HELPDESK_INVOICE_DIR=/var/lib/helpdesk/invoices \
    HELPDESK_LOG_FORMAT=json
VOLUME ["/var/lib/helpdesk/invoices"]
EXPOSE 8080 8081

# Secrets mounted as files (/run/secrets/helpdesk_<setting>) become HELPDESK_<SETTING> variables.
ENTRYPOINT ["helpdesk-entrypoint"]
CMD ["helpdesk", "run"]
