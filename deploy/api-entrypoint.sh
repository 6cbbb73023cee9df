#!/bin/sh
# The api container: refuse the placeholder secrets of .env.example, then migrate,
# import problems/ and serve with several workers (gradebox server run).
set -eu
for value in "${GRADEBOX_SECRET_KEY:-}" "${GRADEBOX_DATABASE_URL:-}"; do
  case $value in
    *change-me*) echo "gradebox-api: refusing to start with a placeholder secret from .env.example" >&2; exit 2 ;;
  esac
done
exec gradebox server run --host 0.0.0.0 --port 8000 --no-embedded-judge \
  --workers "${GRADEBOX_WORKERS:-4}" --forwarded-allow-ips "${GRADEBOX_FORWARDED_ALLOW_IPS:-127.0.0.1}"
