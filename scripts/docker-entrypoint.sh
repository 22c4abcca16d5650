#!/bin/sh
# Container entry point: every Docker/Compose secret named helpdesk_<setting> (a file under
# /run/secrets) becomes the environment variable HELPDESK_<SETTING>, unless that variable is already
# set. Secrets stay out of `docker inspect` and of the compose file; the helpdesk reads settings
# from the environment only. ``exec`` then replaces this shell with the command, so the SIGTERM of
# `docker stop` reaches the helpdesk process itself and it stops gracefully.
set -eu
if [ -d /run/secrets ]; then
  for file in /run/secrets/helpdesk_*; do
    [ -f "$file" ] || continue
    name=$(basename "$file" | tr '[:lower:]' '[:upper:]')
    if [ -z "$(printenv "$name" || true)" ]; then
      value=$(cat "$file")
      export "$name=$value"
    fi
  done
fi
exec "$@"
