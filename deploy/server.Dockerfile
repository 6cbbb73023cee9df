# The API server and judgehost image for production (docker compose). Needs a registry
# for its base images; the sandbox image learners' code runs in is the root Dockerfile.
ARG BASE=python:3.11-slim
ARG NODE_BASE=node:22-bookworm-slim

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
RUN scripts/build-frontend --force

FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sandbox sandbox
COPY graders graders
COPY backend backend
RUN pip install --no-cache-dir . && useradd --system --home /app gradebox
COPY problems problems
COPY --from=ui /src/frontend/dist frontend/dist
EXPOSE 8000
CMD ["gradebox", "server", "run", "--host", "0.0.0.0", "--port", "8000", "--no-embedded-judge"]
