# PostgreSQL from Debian's packages, for machines without a registry (scripts/build-images
# builds it from the debootstrap base). Where a registry exists the official postgres:16
# image is the default (docker-compose.yml, GRADEBOX_DB_IMAGE); this one reads the same
# variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB) and keeps its data in the
# same place, /var/lib/postgresql/data.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && mkdir -p /var/lib/postgresql/data /run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /run/postgresql
COPY deploy/db-entrypoint.sh /usr/local/bin/gradebox-db
ENV PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=5s --retries=20 CMD ["sh", "-c", "pg_isready -h 127.0.0.1 -U \"${POSTGRES_USER:-postgres}\""]
CMD ["gradebox-db"]
