# Pinned versions for the local Kubernetes control plane (sourced by up/down/status/build).
# Bumping a version here changes the cache key (~/.cache/crucible/bin/<name>-<version>/),
# so the next `up` builds the new binaries and leaves the old ones in place.
K8S_VERSION="${CRUCIBLE_K8S_VERSION:-v1.37.2}"
ETCD_VERSION="${CRUCIBLE_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${CRUCIBLE_KWOK_VERSION:-v0.8.0}"
