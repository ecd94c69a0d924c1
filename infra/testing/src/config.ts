/**
 * Environment contract of the infra test helper — the only module here that reads
 * process.env. Overrides point suites at existing services instead of starting local ones.
 *
 *   KAFKA_BROKERS    comma list of host:port          (skip infra/kafka/up)
 *   DATABASE_URL     postgres://user:pass@host:port/db (skip infra/postgres/up)
 *   KUBECONFIG       path to a kubeconfig              (skip infra/k8s/up)
 *   CRUCIBLE_INFRA   comma list of kafka,postgres,kube for the vitest globalSetup;
 *                    unset = kafka,postgres (those whose launcher exists); "none" = nothing.
 *                    kube is opt-in: its first start builds Kubernetes from source (tens
 *                    of minutes), so suites that need it call ensureKube() themselves.
 */
export const INFRA_KINDS = ['kafka', 'postgres', 'kube'] as const;
export type InfraKind = (typeof INFRA_KINDS)[number];
/** Started by the globalSetup when CRUCIBLE_INFRA is unset: cheap to start (seconds). */
export const DEFAULT_INFRA: readonly InfraKind[] = ['kafka', 'postgres'];

export interface InfraOverrides {
  readonly kafkaBrokers?: readonly string[];
  readonly databaseUrl?: string;
  readonly kubeconfig?: string;
}

export class InfraConfigError extends Error {
  readonly code = 'infra_config_invalid' as const;
  readonly retriable = false;
}

/** Parses a broker list such as `a:9092, b:9092`; empty entries are dropped. */
export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

/**
 * Parses CRUCIBLE_INFRA. `undefined` (unset) means "the defaults"; the empty string and
 * "none" mean nothing. Unknown names fail loudly so a typo cannot silently skip a service.
 */
export function parseInfraList(value: string | undefined): readonly InfraKind[] | 'default' {
  if (value === undefined) return 'default';
  const names = value
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n.length > 0 && n !== 'none');
  const unknown = names.filter((n) => !(INFRA_KINDS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new InfraConfigError(
      `CRUCIBLE_INFRA has unknown entries ${JSON.stringify(unknown)}; expected a comma list of ${INFRA_KINDS.join(', ')}`,
    );
  }
  return [...new Set(names)] as InfraKind[];
}

export function readOverrides(env: NodeJS.ProcessEnv = process.env): InfraOverrides {
  const brokers = env.KAFKA_BROKERS ? parseBrokers(env.KAFKA_BROKERS) : [];
  return {
    kafkaBrokers: brokers.length > 0 ? brokers : undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    kubeconfig: env.KUBECONFIG || undefined,
  };
}

export function readInfraSelection(env: NodeJS.ProcessEnv = process.env): readonly InfraKind[] | 'default' {
  return parseInfraList(env.CRUCIBLE_INFRA);
}

/** Publishes connection info so that test workers started afterwards inherit it. */
export function exportConnectionEnv(
  values: { kafkaBrokers?: readonly string[]; databaseUrl?: string; kubeconfig?: string },
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (values.kafkaBrokers) env.KAFKA_BROKERS = values.kafkaBrokers.join(',');
  if (values.databaseUrl) env.DATABASE_URL = values.databaseUrl;
  if (values.kubeconfig) env.KUBECONFIG = values.kubeconfig;
}
