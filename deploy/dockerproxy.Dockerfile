# The restricted Docker API proxy (deploy/docker_proxy.py): the only container that
# mounts the host's Docker socket; judgehosts reach it over an internal network and can
# start nothing but hardened sandbox containers. Standard library only.
ARG BASE=python:3.11-slim
FROM ${BASE}
COPY deploy/docker_proxy.py /opt/gradebox/docker_proxy.py
ENTRYPOINT ["python3", "-I", "/opt/gradebox/docker_proxy.py"]
CMD ["--listen", "0.0.0.0:2375", "--image", "gradebox-sandbox:latest"]
