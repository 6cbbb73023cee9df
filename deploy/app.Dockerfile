# The API server and judgehost images, one file with a target per image:
#   docker build -f deploy/app.Dockerfile --target api   -t gradebox-api .
#   docker build -f deploy/app.Dockerfile --target judge -t gradebox-judge .
# With a registry the defaults below are pulled; scripts/build-images builds the same
# targets offline with BASE=its debootstrap image, wheels staged in build/wheels and the
# SPA prebuilt on the host (target api-prebuilt-ui). Learner code never runs in these
# images: it runs in the sandbox image (the root Dockerfile), see docs/deploy.md.
ARG BASE=python:3.11-slim
ARG NODE_BASE=node:22-bookworm-slim

FROM ${BASE} AS app
# The app in its own venv (Debian's python3 refuses system-wide pip installs). Offline,
# build/wheels holds every dependency and pip never looks at an index; without it
# (a registry build) pip fetches them. pyproject.toml only makes the glob match.
COPY pyproject.toml README.md /src/
COPY sandbox /src/sandbox
COPY graders /src/graders
COPY backend /src/backend
COPY pyproject.toml build/wheel[s] /wheels/
RUN python3 -m venv /opt/gradebox \
 && if ls /wheels/*.whl >/dev/null 2>&1; then \
      /opt/gradebox/bin/pip install --no-cache-dir --no-index --find-links /wheels /src; \
    else /opt/gradebox/bin/pip install --no-cache-dir /src; fi \
 && rm -rf /src /wheels \
 && (getent passwd gradebox >/dev/null || useradd --system --uid 10001 --home-dir /app gradebox) \
 && mkdir -p /app /var/lib/gradebox && chown gradebox /var/lib/gradebox
ENV PATH=/opt/gradebox/bin:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    GRADEBOX_DATA_DIR=/var/lib/gradebox GRADEBOX_LOG_FORMAT=json
WORKDIR /app

# The judgehost: unprivileged, no Docker socket. It starts sandbox containers through
# the restricted proxy (DOCKER_HOST=tcp://dockerproxy:2375, deploy/docker_proxy.py).
FROM app AS judge
USER 10001
ENV GRADEBOX_SANDBOX=docker GRADEBOX_JUDGE_CACHE=/tmp/judge-cache
CMD ["gradebox", "judgehost", "--capability", "cpu"]

# The API server with a SPA built elsewhere (frontend/dist in the build context).
FROM app AS api-prebuilt-ui
COPY problems /app/problems
COPY frontend /tmp/frontend
RUN mkdir -p /app/frontend \
 && if [ -d /tmp/frontend/dist ]; then mv /tmp/frontend/dist /app/frontend/dist; fi \
 && rm -rf /tmp/frontend
COPY deploy/api-entrypoint.sh /usr/local/bin/gradebox-api
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=12 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["gradebox-api"]

# The SPA: its TypeScript types are generated from the backend's OpenAPI document,
# so this stage has Python too.
FROM ${NODE_BASE} AS ui
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY sandbox sandbox
COPY graders graders
COPY backend backend
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir .
COPY frontend frontend
COPY scripts/build-frontend scripts/build-frontend
RUN rm -rf frontend/node_modules frontend/dist && scripts/build-frontend --force

FROM api-prebuilt-ui AS api
COPY --from=ui /src/frontend/dist /app/frontend/dist
