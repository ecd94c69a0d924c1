# Pinned CLI versions (sourced by infra/tools/*). The cache key is the version:
# ~/.cache/crucible/bin/<name>-<version>/<name>.
HELM_VERSION="${CRUCIBLE_HELM_VERSION:-v3.21.4}"
KUBECONFORM_VERSION="${CRUCIBLE_KUBECONFORM_VERSION:-v0.8.0}"
