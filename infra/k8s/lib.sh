# Shared helpers for infra/k8s/{up,down,status}. Source, don't run.
# shellcheck shell=bash disable=SC2034 # ports and paths are used by the scripts that source this
# Everything built is cached under ~/.cache/crucible/bin/<name>-<version>/ (keyed by
# version); runtime state lives under $CRUCIBLE_RUN_DIR/k8s (default ~/.cache/crucible/run/k8s).
K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/k8s/versions.sh
source "$K8S_DIR/versions.sh"

CRUCIBLE_CACHE="${CRUCIBLE_CACHE_DIR:-$HOME/.cache/crucible}"
BIN_CACHE="$CRUCIBLE_CACHE/bin"
RUN_DIR="${CRUCIBLE_RUN_DIR:-$CRUCIBLE_CACHE/run}/k8s"
LOG_DIR="$RUN_DIR/logs"
BUILD_LOG_DIR="$CRUCIBLE_CACHE/build-logs"

K8S_BIN="$BIN_CACHE/kubernetes-$K8S_VERSION"
ETCD_BIN="$BIN_CACHE/etcd-$ETCD_VERSION"
KWOK_BIN="$BIN_CACHE/kwok-$KWOK_VERSION"

# Ports (loopback only).
ETCD_CLIENT_PORT=12379
ETCD_PEER_PORT=12380
APISERVER_PORT=16443
KCM_PORT=16444        # kube-controller-manager secure port
SCHED_PORT=16445      # kube-scheduler secure port
KWOK_PORT=16446       # kwok metrics/healthz

log() { printf '[k8s] %s\n' "$*" >&2; }
die() { printf '[k8s] ERROR: %s\n' "$*" >&2; exit 1; }

# Go caches shared by every Crucible build (module downloads + compiled packages).
go_env() {
  export GOMODCACHE="$CRUCIBLE_CACHE/go/mod"
  export GOCACHE="$CRUCIBLE_CACHE/go/build"
  export GOTOOLCHAIN=local
  export CGO_ENABLED=0
  mkdir -p "$GOMODCACHE" "$GOCACHE" "$BIN_CACHE" "$BUILD_LOG_DIR"
  command -v go >/dev/null || die "go is not installed (need Go >= 1.26 for Kubernetes $K8S_VERSION)"
}

# Serialize builds of one cache entry across concurrent `up` calls.
with_build_lock() { # name cmd...
  local name="$1"; shift
  mkdir -p "$BIN_CACHE"
  (
    flock 9
    "$@"
  ) 9>"$BIN_CACHE/.$name.lock"
}

# kube-apiserver, kube-controller-manager, kube-scheduler from k8s.io/kubernetes via the
# wrapper module in build/ (see build/gen-gomod for why a wrapper is needed).
_build_k8s() {
  [ -x "$K8S_BIN/kube-apiserver" ] && [ -x "$K8S_BIN/kube-controller-manager" ] && [ -x "$K8S_BIN/kube-scheduler" ] && return 0
  go_env
  local modver; modver="$(cd "$K8S_DIR/build" && go mod edit -json | jq -r '.Require[] | select(.Path=="k8s.io/kubernetes") | .Version')"
  [ "$modver" = "$K8S_VERSION" ] || die "infra/k8s/build/go.mod pins k8s.io/kubernetes $modver but versions.sh wants $K8S_VERSION; run infra/k8s/build/gen-gomod"
  local v="${K8S_VERSION#v}" major minor date
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local ld="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    ld+=" -X $p.gitCommit=unknown-gomodule -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  local tmp="$K8S_BIN.tmp.$$" logf="$BUILD_LOG_DIR/kubernetes-$K8S_VERSION.log"
  log "building kube-apiserver/kube-controller-manager/kube-scheduler $K8S_VERSION (first time: tens of minutes on 2 cores); log: $logf"
  rm -rf "$tmp"; mkdir -p "$tmp"
  local t0=$SECONDS
  if ! (cd "$K8S_DIR/build" && nice -n 5 go build -mod=readonly -trimpath -ldflags "$ld" -o "$tmp/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler) >"$logf" 2>&1; then
    tail -30 "$logf" >&2; rm -rf "$tmp"; die "kubernetes build failed; see $logf"
  fi
  rm -rf "$K8S_BIN"; mv "$tmp" "$K8S_BIN"
  log "built kubernetes $K8S_VERSION in $((SECONDS - t0))s"
}
ensure_k8s() { with_build_lock "kubernetes-$K8S_VERSION" _build_k8s; }

# etcd server from the Go module go.etcd.io/etcd/server/v3 (package main at the module
# root). Its go.mod replaces its sibling modules with ../ paths, so `go install @version`
# is refused; a throwaway module that requires it is the `go install`-style equivalent.
_build_etcd() {
  [ -x "$ETCD_BIN/etcd" ] && return 0
  go_env
  local tmp; tmp="$(mktemp -d)"
  local logf="$BUILD_LOG_DIR/etcd-$ETCD_VERSION.log" t0=$SECONDS
  log "building etcd $ETCD_VERSION from go.etcd.io/etcd/server/v3; log: $logf"
  if ! (cd "$tmp" && go mod init crucible.local/etcdbuild && go mod edit -go=1.26.0 \
        && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" \
        && nice -n 5 go build -trimpath -ldflags "-s -w" -o "$tmp/out/etcd" go.etcd.io/etcd/server/v3) >"$logf" 2>&1; then
    tail -30 "$logf" >&2; rm -rf "$tmp"; die "etcd build failed; see $logf"
  fi
  rm -rf "$ETCD_BIN"; mv "$tmp/out" "$ETCD_BIN"; rm -rf "$tmp"
  log "built etcd $ETCD_VERSION in $((SECONDS - t0))s"
}
ensure_etcd() { with_build_lock "etcd-$ETCD_VERSION" _build_etcd; }

# kwok from sigs.k8s.io/kwok (no replace directives: plain `go install pkg@version`).
_build_kwok() {
  [ -x "$KWOK_BIN/kwok" ] && return 0
  go_env
  local tmp="$KWOK_BIN.tmp.$$" logf="$BUILD_LOG_DIR/kwok-$KWOK_VERSION.log" t0=$SECONDS
  log "building kwok $KWOK_VERSION; log: $logf"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if ! (cd /tmp && GOBIN="$tmp" nice -n 5 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") >"$logf" 2>&1; then
    tail -30 "$logf" >&2; rm -rf "$tmp"; die "kwok build failed; see $logf"
  fi
  rm -rf "$KWOK_BIN"; mv "$tmp" "$KWOK_BIN"
  log "built kwok $KWOK_VERSION in $((SECONDS - t0))s"
}
ensure_kwok() { with_build_lock "kwok-$KWOK_VERSION" _build_kwok; }

PKI="$RUN_DIR/pki"
SA_ISSUER="https://kubernetes.default.svc.cluster.local"
SERVICE_CIDR="10.0.0.0/24"   # first IP 10.0.0.1 = the `kubernetes` Service
API_URL="https://127.0.0.1:$APISERVER_PORT"

# Client certificate signed by the local CA. cn=user name, o=group (optional).
_client_cert() { # name cn [o [ca]]
  local name="$1" cn="$2" o="${3:-}" ca="${4:-ca}" subj="/CN=$2"
  [ -n "$o" ] && subj="/O=$o/CN=$cn"
  [ -s "$PKI/$name.crt" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

_ca() { # name cn
  [ -s "$PKI/$1.crt" ] && return 1
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -sha256 -days 3650 \
    -subj "/CN=$2" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" -out "$PKI/$1.crt" 2>/dev/null
}

# CA, apiserver serving cert, client certs and the service-account key pair (once per state dir).
ensure_pki() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  command -v openssl >/dev/null || die "openssl is required"
  if _ca ca crucible-local-ca; then
    log "generating CA and certificates in $PKI"
    rm -f "$PKI"/apiserver.* "$PKI"/admin.* "$PKI"/kube-*.crt "$PKI"/kwok.*
  fi
  # Aggregation layer (front proxy): the apiserver authenticates to aggregated API servers
  # with this client cert; they trust it through extension-apiserver-authentication.
  if _ca front-proxy-ca crucible-front-proxy-ca; then rm -f "$PKI"/front-proxy-client.*; fi
  _client_cert front-proxy-client front-proxy-client "" front-proxy-ca
  if [ ! -s "$PKI/apiserver.crt" ]; then
    openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/apiserver.key" -subj "/CN=kube-apiserver" -out "$PKI/apiserver.csr" 2>/dev/null
    cat > "$PKI/apiserver.ext" <<EXT
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EXT
    openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
    rm -f "$PKI/apiserver.csr" "$PKI/apiserver.ext"
  fi
  _client_cert admin crucible-admin system:masters
  _client_cert kube-controller-manager system:kube-controller-manager
  _client_cert kube-scheduler system:kube-scheduler
  # kwok plays every kubelet of the fake nodes (node + pod status, leases, deletes).
  _client_cert kwok kwok-controller system:masters
  if [ ! -s "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
}

# Self-contained kubeconfig (certs embedded) for one identity.
write_kubeconfig() { # name out
  local name="$1" out="$2" tmp="$2.tmp.$$"
  cat > "$tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: crucible-local
  cluster:
    server: $API_URL
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$name.crt")
    client-key-data: $(base64 -w0 < "$PKI/$name.key")
contexts:
- name: crucible-local
  context:
    cluster: crucible-local
    user: $name
current-context: crucible-local
KC
  chmod 600 "$tmp"; mv "$tmp" "$out"
}

# Admin-authenticated call to the apiserver (curl), e.g. api GET /readyz.
api() { # method path [curl args...]
  local m="$1" p="$2"; shift 2
  curl -sS --max-time 10 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    -X "$m" "$API_URL$p" "$@"
}

apiserver_ready() {
  [ -s "$PKI/admin.crt" ] || return 1
  [ "$(api GET /readyz 2>/dev/null)" = "ok" ]
}

# --- process bookkeeping: one pidfile per component, checked against its binary path ---
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

pid_of() { # component -> prints pid if alive and really ours
  local f="$RUN_DIR/pids/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "/$1 " || return 1
  echo "$pid"
}

start_component() { # component binary args...
  local c="$1" bin="$2"; shift 2
  if pid_of "$c" >/dev/null; then return 0; fi
  mkdir -p "$RUN_DIR/pids" "$LOG_DIR"
  log "starting $c (log: $LOG_DIR/$c.log)"
  printf '\n==== %s start %s ====\n' "$c" "$(date -u +%FT%TZ)" >> "$LOG_DIR/$c.log"
  # 8>&- : don't let the daemon inherit up's state-dir lock (it would hold it forever).
  setsid nohup "$bin" "$@" >>"$LOG_DIR/$c.log" 2>&1 < /dev/null 8>&- &
  echo $! > "$RUN_DIR/pids/$c.pid"
}

wait_for() { # description timeout_s cmd...
  local what="$1" t="$2"; shift 2
  local end=$((SECONDS + t))
  until "$@"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.5
  done
}
