# syntax=docker/dockerfile:1.7
# One image for every Crucible service: `docker build -f docker/service.Dockerfile -t crucible .`
# from the repository root. The Deployment sets CRUCIBLE_SERVICE (ingestion, cleaning,
# tokenization, training, evaluation, safety, serving or operator); docker/start.cjs runs it.
# ONNX Runtime runs on CPU here; GPU training pods use docker/trainer-gpu.Dockerfile.
# Not built in this repository's CI (no Docker engine there): see docs/deploying.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- manifests: package.json files and the lockfile only, so `npm ci` below stays cached
# until dependencies change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find libs services infra e2e bench -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

# ---- build: full install (the SWC compiler is a dev dependency), compile, drop dev dependencies.
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles its native addon (node-gyp).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# This image runs ONNX Runtime on CPU: never fetch the CUDA execution provider. (The root
# package.json also denies onnxruntime-node's install script through `allowScripts`.)
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN node docker/compile.cjs \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: Node 20 slim, non-root, no compiler, no dev dependencies.
FROM ${NODE_IMAGE} AS runtime
# Huge pages for what ONNX Runtime computes on, on nodes whose THP mode is `madvise` (most):
# decoding and training read every weight per step (scripts/huge-pages.cjs says how much it gains).
ENV NODE_ENV=production \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
    CRUCIBLE_DATA_DIR=/var/lib/crucible/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
RUN groupadd --system --gid 10001 crucible \
 && useradd --system --uid 10001 --gid crucible --home-dir /app --shell /usr/sbin/nologin crucible \
 && mkdir -p /var/lib/crucible/data \
 && chown -R 10001:10001 /var/lib/crucible
WORKDIR /app
COPY --from=build --chown=0:0 /app/package.json ./package.json
COPY --from=build --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/libs ./libs
COPY --from=build --chown=0:0 /app/services ./services
COPY --from=build --chown=0:0 /app/scripts ./scripts
COPY --from=build --chown=0:0 /app/docker/start.cjs ./docker/start.cjs
# The compiled sources load as JavaScript (docker/register.cjs replaces the SWC hook).
COPY --from=build --chown=0:0 /app/docker/register.cjs ./scripts/register.cjs
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE 8080
# --no-memory-reducer: V8's memory reducer runs full collections whenever a process looks idle,
# and a lightly loaded gateway looks idle between requests: 22–39 ms pauses and 40–60 ms of
# marking steps landed on whichever request was in flight, ~2 ms of main-thread CPU per request
# in bench:serving (services/serving/README.md § Benchmark). The services keep their heap between
# bursts instead. Node refuses this V8 flag in NODE_OPTIONS, so it is given here.
ENTRYPOINT ["node", "--no-memory-reducer", "docker/start.cjs"]
