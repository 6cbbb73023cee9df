# The API server and judgehost image for production (docker compose). Needs a registry
# for the base image; the sandbox image learners' code runs in is the root Dockerfile.
ARG BASE=python:3.11-slim
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap g++ nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sandbox sandbox
COPY graders graders
COPY backend backend
RUN pip install --no-cache-dir . && useradd --system --home /app gradebox
COPY problems problems
COPY frontend frontend
COPY scripts scripts
RUN if [ -f frontend/package.json ]; then cd frontend && npm ci && npm run build; fi
EXPOSE 8000
CMD ["gradebox", "server", "run", "--host", "0.0.0.0", "--port", "8000", "--no-embedded-judge"]
