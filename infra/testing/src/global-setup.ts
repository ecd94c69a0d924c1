/**
 * Vitest globalSetup for the `integration` project: ensures the services named in
 * CRUCIBLE_INFRA (default: kafka,postgres where their launchers exist; kube is opt-in
 * because its first start builds Kubernetes from source), creates the
 * contracts' topics, and exports KAFKA_BROKERS / DATABASE_URL / KUBECONFIG into
 * process.env before workers start, so tests and the code under test read them as usual.
 * Services are left running for the next run (warm start); stop them with infra/<name>/down.
 */
import { DEFAULT_INFRA, exportConnectionEnv, readInfraSelection, type InfraKind } from './config';
import { contractTopics, ensureKafka, ensureTopics } from './kafka';
import { ensureKube } from './kube';
import { launcherExists } from './launcher';
import { ensurePostgres } from './postgres';

const LAUNCHER_DIR: Record<InfraKind, string> = { kafka: 'kafka', postgres: 'postgres', kube: 'k8s' };

export function selectedInfra(): InfraKind[] {
  const selection = readInfraSelection();
  if (selection !== 'default') return [...selection];
  return DEFAULT_INFRA.filter((kind) => launcherExists(LAUNCHER_DIR[kind]));
}

async function provisionKafka(): Promise<void> {
  const { brokers } = await ensureKafka();
  await ensureTopics(brokers, await contractTopics());
  exportConnectionEnv({ kafkaBrokers: brokers });
}

async function provisionPostgres(): Promise<void> {
  exportConnectionEnv({ databaseUrl: (await ensurePostgres()).dsn });
}

async function provisionKube(): Promise<void> {
  exportConnectionEnv({ kubeconfig: (await ensureKube()).kubeconfig });
}

const PROVISION: Record<InfraKind, () => Promise<void>> = {
  kafka: provisionKafka,
  postgres: provisionPostgres,
  kube: provisionKube,
};

export default async function setup(): Promise<void> {
  const kinds = selectedInfra();
  const started = Date.now();
  // In parallel: Kafka's JVM start dominates, PostgreSQL and a warm kube are quick.
  await Promise.all(kinds.map((kind) => PROVISION[kind]()));
  if (kinds.length > 0) {
    console.error(
      `[infra-testing] ready: ${kinds.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }
}
