# Kafka launcher settings and file layout (sourced by up/down/status/provision/create-topics).
# Every value can be overridden from the environment; infra/README.md documents them.
# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
CRUCIBLE_LOG_TAG=kafka

# Kafka 3.9.x: the last line that still serves the pre-KIP-896 API versions kafkajs 2.2.x
# sends (see infra/README.md, "Kafka 4.x and kafkajs").
KAFKA_VERSION="${CRUCIBLE_KAFKA_VERSION:-3.9.1}"
KAFKA_HOST=127.0.0.1
KAFKA_PORT="${CRUCIBLE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${CRUCIBLE_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP_OPTS="${CRUCIBLE_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# Data topics get 3 partitions so consumer-group parallelism and key ordering are exercised;
# dead-letter topics get 1 because they are low-volume audit trails read front to back.
KAFKA_TOPIC_PARTITIONS="${CRUCIBLE_KAFKA_TOPIC_PARTITIONS:-3}"
KAFKA_DLQ_PARTITIONS="${CRUCIBLE_KAFKA_DLQ_PARTITIONS:-1}"
# C1-only JIT: broker start measured 19 s vs 39-43 s with full tiered JIT at load ~19 on
# 2 cores, and less CPU stolen from tests. Set CRUCIBLE_KAFKA_JVM_OPTS= (empty) to get C2
# back when measuring broker throughput.
KAFKA_JVM_OPTS="${CRUCIBLE_KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1}"
# Cold start under heavy load took 101 s to listen; leave generous headroom.
KAFKA_START_TIMEOUT_S="${CRUCIBLE_KAFKA_START_TIMEOUT_S:-300}"

KAFKA_SRC_DIR="$CRUCIBLE_INFRA_DIR/kafka"
KAFKA_HOME="$CRUCIBLE_CACHE_DIR/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_M2="$CRUCIBLE_CACHE_DIR/m2"

KAFKA_RUN="$CRUCIBLE_RUN_DIR/kafka"
KAFKA_DATA="$KAFKA_RUN/data"
KAFKA_CONFIG="$KAFKA_RUN/server.properties"
KAFKA_PIDFILE="$KAFKA_RUN/kafka.pid"
KAFKA_LOG="$KAFKA_RUN/logs/server.log"
KAFKA_LOCK="$KAFKA_RUN/.lock"
KAFKA_BROKERS="$KAFKA_HOST:$KAFKA_PORT"
# Identifies our broker in /proc/<pid>/cmdline (guards against recycled pids).
KAFKA_PROC_MATCH="kafka.Kafka $KAFKA_CONFIG"

# Fast-starting JVM flags for the short-lived admin helper (C1 only, small serial heap).
KAFKA_TOOL_JAVA_OPTS=(-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
  "-Dlog4j.configuration=file:$KAFKA_SRC_DIR/tools-log4j.properties")

# Provisioning is keyed on content: the jars on pom.xml, the compiled helper on its source,
# so editing one never re-fetches or rebuilds the other.
_hash16() { sha256sum "$@" | cut -c1-16; }
kafka_libs_marker() { printf '%s/.libs-%s\n' "$KAFKA_HOME" "$(_hash16 "$KAFKA_SRC_DIR/pom.xml")"; }
kafka_tools_classes() { printf '%s/crucible-tools-%s\n' "$KAFKA_HOME" "$(_hash16 "$KAFKA_SRC_DIR/CreateTopics.java")"; }
kafka_provisioned() { [[ -f "$(kafka_libs_marker)" && -f "$(kafka_tools_classes)/CreateTopics.class" ]]; }
