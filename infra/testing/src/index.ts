/**
 * @crucible/infra-testing — connection helpers for integration suites. Each `ensure*`
 * honours an env override (KAFKA_BROKERS, DATABASE_URL, KUBECONFIG) and otherwise runs
 * the matching infra/<service>/up launcher, which reuses a running instance.
 * The vitest globalSetup lives at `@crucible/infra-testing/global-setup`.
 */
export {
  ensureKafka,
  ensureTopics,
  contractTopics,
  partitionsFor,
  DATA_TOPIC_PARTITIONS,
  DLQ_TOPIC_PARTITIONS,
} from './kafka';
export type { KafkaConnection } from './kafka';
export { ensurePostgres } from './postgres';
export type { PostgresConnection } from './postgres';
export { ensureKube } from './kube';
export type { KubeConnection } from './kube';
export { LauncherError, launcherExists, REPO_ROOT } from './launcher';
export { DEFAULT_INFRA, InfraConfigError, INFRA_KINDS, parseInfraList, parseBrokers } from './config';
export type { InfraKind } from './config';
