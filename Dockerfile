# The Gradebox sandbox image, for hosts with a registry. Equivalent to what
# scripts/build-images makes offline (debootstrap + docker import); build with
#   docker build -t gradebox-sandbox:latest .
# Learner code runs here as a per-session uid under the agent (sandbox/agent.py), which the
# docker backend starts with the container; see docs/sandbox.md.
ARG BASE=python:3.11-slim
FROM ${BASE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++ pypy3 \
 && rm -rf /var/lib/apt/lists/* \
 && { [ -x /usr/bin/python3 ] || ln -s "$(command -v python3)" /usr/bin/python3; }

# The same NumPy as the bwrap runtime (.runtime), torch, and Triton (kernel problems:
# its interpreter, TRITON_INTERPRET=1, checks kernels on CPU). For the CPU-only build
# of torch (a fraction of the CUDA one's size), point TORCH_INDEX at the PyTorch
# project's CPU wheel index: docker build --build-arg TORCH_INDEX=<url> .
# Versions from scripts/pins.env, the one place they are pinned.
ARG TORCH_INDEX=""
COPY scripts/pins.env /tmp/pins.env
RUN . /tmp/pins.env \
 && python3 -m pip install --no-cache-dir "numpy==$NUMPY_VERSION" \
 && python3 -m pip install --no-cache-dir ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} "torch==$TORCH_VERSION" \
 && python3 -m pip install --no-cache-dir "triton==$TRITON_VERSION" \
 && rm /tmp/pins.env

COPY sandbox/agent.py sandbox/zygote.py /opt/gradebox/
# The agent is imported, not run as a script: its bytecode is compiled here, as the
# root is read-only at run time (sandbox/agent_bytecode.py).
RUN chmod 0755 /opt/gradebox && chmod 0644 /opt/gradebox/agent.py /opt/gradebox/zygote.py \
 && python3 -m compileall -q --invalidation-mode checked-hash /opt/gradebox/agent.py /opt/gradebox/zygote.py \
 && mkdir -p /work && chmod 1777 /work

WORKDIR /work
ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8
CMD ["/usr/bin/python3", "-I", "-S", "-c", "import sys; sys.path.insert(0, '/opt/gradebox'); import agent; del sys.path[0]; sys.exit(agent.main())"]
