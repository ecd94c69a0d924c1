# syntax=docker/dockerfile:1.7
# The GPU image of TrainingRun Jobs: the service image's compiled sources on a CUDA 12 +
# cuDNN 9 runtime, with onnxruntime-node's CUDA execution provider.
#   docker build -f docker/trainer-gpu.Dockerfile -t crucible-trainer-gpu .
# The entry point is the trainer pod (services/training/src/pod/train-pod.ts): the Job the
# operator creates for a TrainingRun (image from the chart's trainerImage) runs it with
# CRUCIBLE_TRAINING_JOB and the bus in its env; it exits 0, 1 (the Job retries from the last
# checkpoint) or 3 (deterministic failure: the Job fails at once). The training service from
# this image instead: docker run --entrypoint node crucible-trainer-gpu docker/start.cjs
# (CRUCIBLE_SERVICE=training is set below).
# Not built in this repository's CI (no Docker engine there): see docs/deploying.md.

ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
ARG NODE_IMAGE=node:20-bookworm-slim

# Node itself comes from the official image (the CUDA base has none); its binary needs only
# glibc >= 2.28, which Ubuntu 24.04 has.
FROM ${NODE_IMAGE} AS node

# ---- the compiled application, from the same stages as the service image.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find libs services infra e2e bench -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM ${CUDA_IMAGE} AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
# Toolchain for better-sqlite3's native addon, built against this image's glibc.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_update_notifier=false
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# onnxruntime-node's install script is denied for every other install (package.json
# allowScripts). Here, and only here, it runs: it fetches the CUDA 12 execution provider
# (libonnxruntime_providers_cuda.so and friends) from NuGet at build time.
ENV ONNXRUNTIME_NODE_INSTALL=cuda12 \
    ONNXRUNTIME_NODE_INSTALL_CUDA=v12
RUN node node_modules/onnxruntime-node/script/install.js \
 && test -f node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so
COPY . .
RUN node docker/compile.cjs \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: CUDA + cuDNN runtime libraries, Node, non-root.
FROM ${CUDA_IMAGE} AS runtime
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# Huge pages for the host-side buffers (scripts/huge-pages.cjs).
ENV NODE_ENV=production \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
    CRUCIBLE_SERVICE=training \
    CRUCIBLE_DATA_DIR=/var/lib/crucible/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
RUN groupadd --system --gid 10001 crucible \
 && useradd --system --uid 10001 --gid crucible --home-dir /app --shell /usr/sbin/nologin crucible \
 && mkdir -p /var/lib/crucible/data /var/lib/crucible/checkpoints \
 && chown -R 10001:10001 /var/lib/crucible
WORKDIR /app
COPY --from=build --chown=0:0 /app/package.json ./package.json
COPY --from=build --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/libs ./libs
COPY --from=build --chown=0:0 /app/services ./services
COPY --from=build --chown=0:0 /app/scripts ./scripts
COPY --from=build --chown=0:0 /app/docker/start.cjs ./docker/start.cjs
COPY --from=build --chown=0:0 /app/docker/register.cjs ./scripts/register.cjs
USER 10001:10001
EXPOSE 8080
# scripts/run-ts.cjs loads the image's register.cjs (sources compiled at build time) and reflect-metadata.
ENTRYPOINT ["node", "scripts/run-ts.cjs", "services/training/src/pod/train-pod.ts"]
