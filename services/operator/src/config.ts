/** The operator's configuration: the only file that reads `process.env`. */
import { hostname } from 'node:os';
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';
import { RolloutSpecSchema } from '@crucible/crds';

const list = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const OperatorConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** Namespaces whose TrainingRuns and ModelDeployments are reconciled; empty = all (needs a ClusterRole). */
    OPERATOR_NAMESPACES: list,
    /** Where `model.approved` creates ModelDeployments; default: the first watched namespace, else POD_NAMESPACE. */
    OPERATOR_DEPLOYMENT_NAMESPACE: z.string().optional(),
    POD_NAMESPACE: z.string().default('default'),
    /** Lease-based leader election: off only for a single replica started by hand. */
    OPERATOR_LEADER_ELECTION: bool.default(true),
    OPERATOR_LEASE_NAME: z.string().default('crucible-operator'),
    /** Default: POD_NAMESPACE. */
    OPERATOR_LEASE_NAMESPACE: z.string().optional(),
    /** client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
    OPERATOR_LEASE_DURATION_SECONDS: z.coerce.number().positive().default(15),
    OPERATOR_RENEW_DEADLINE_SECONDS: z.coerce.number().positive().default(10),
    OPERATOR_RETRY_PERIOD_SECONDS: z.coerce.number().positive().default(2),
    /** This replica's identity in the Lease; default the pod's host name plus pid. */
    OPERATOR_IDENTITY: z.string().optional(),
    /** Every resource is reconciled again this often, whatever the watches said. */
    OPERATOR_RESYNC_SECONDS: z.coerce.number().positive().default(60),
    /** How often a progressing canary is analysed. */
    OPERATOR_ANALYSIS_INTERVAL_SECONDS: z.coerce.number().positive().default(10),
    OPERATOR_WORKERS: z.coerce.number().int().positive().default(2),
    /** Fixed Prometheus endpoints (comma-separated, summed with the ones found through OPERATOR_METRICS_SERVICES). */
    OPERATOR_METRICS_URLS: list,
    /**
     * The gateway Services whose every ready pod is scraped (EndpointSlices), summed:
     * `[namespace/]name[:port]`, port name or number, default `http`; without a namespace, the
     * ModelDeployment's. Without these and the URLs, canaries wait for traffic numbers.
     */
    OPERATOR_METRICS_SERVICES: list,
    /** Also scrape every ready pod of the versions' own Services (when traffic reaches them directly). */
    OPERATOR_METRICS_VERSION_SERVICES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /** The ConfigMap the gateway mounts as SERVING_ROUTING_FILE (key routing.json). */
    OPERATOR_ROUTING_CONFIGMAP: z.string().default('crucible-routing'),
    /** JSON written by the chart (crucible.trainingPodDefaults): image, GPUs, tolerations, claims… */
    OPERATOR_TRAINING_DEFAULTS_FILE: z.string().optional(),
    /** JSON written by the chart (crucible.servingPodDefaults): env by reference, envFrom, the Kafka CA mount, security context… */
    OPERATOR_SERVING_DEFAULTS_FILE: z.string().optional(),
    /** Trainer image when neither the TrainingRun nor the defaults file names one. */
    OPERATOR_TRAINER_IMAGE: z.string().optional(),
    /** Serving template of ModelDeployments created from `model.approved`. */
    OPERATOR_SERVING_IMAGE: z.string().default('ghcr.io/crucible/crucible:latest'),
    OPERATOR_SERVING_REPLICAS: z.coerce.number().int().min(0).default(1),
    OPERATOR_MODELS_CLAIM: z.string().optional(),
    /** Rollout spec (the CRD's `spec.rollout` JSON) of ModelDeployments made from `model.approved`; default @crucible/rollout's. */
    OPERATOR_DEFAULT_ROLLOUT: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        const parsed = RolloutSpecSchema.safeParse((() => { try { return JSON.parse(s) as unknown; } catch { return undefined; } })());
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `expected the JSON of a ModelDeployment spec.rollout: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
          return z.NEVER;
        }
        return parsed.data;
      }),
    /** Base of the operator's consumer groups (a test run gives itself its own). */
    OPERATOR_CONSUMER_GROUP: z.string().min(1).default('crucible.operator'),
    /** Where a new consumer group starts: the beginning (default, nothing skipped) or only new records. */
    OPERATOR_CONSUME_FROM_BEGINNING: bool.default(true),
    /** Consume model.approved / training / verdict topics and publish rollout.*; false = Kubernetes only. */
    OPERATOR_BUS_ENABLED: bool.default(true),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8090),
  }),
);
export type OperatorConfig = z.output<typeof OperatorConfigSchema>;

export const loadOperatorConfig = (env: Record<string, string | undefined> = process.env): OperatorConfig =>
  parseConfig(OperatorConfigSchema, env);

export const identityOf = (c: OperatorConfig) => c.OPERATOR_IDENTITY ?? `${hostname()}-${process.pid}`;
export const deploymentNamespaceOf = (c: OperatorConfig) => c.OPERATOR_DEPLOYMENT_NAMESPACE ?? c.OPERATOR_NAMESPACES[0] ?? c.POD_NAMESPACE;

/** Bus settings handed to trainer pods (secrets such as SASL passwords come from the pod's own env). */
export function busEnvOf(c: OperatorConfig): Record<string, string> {
  if (!c.OPERATOR_BUS_ENABLED) return {};
  return {
    CRUCIBLE_BUS: c.CRUCIBLE_BUS,
    ...(c.KAFKA_BROKERS ? { KAFKA_BROKERS: c.KAFKA_BROKERS.join(',') } : {}),
    KAFKA_CLIENT_ID: `${c.KAFKA_CLIENT_ID}-trainer`,
    KAFKA_SSL: String(c.KAFKA_SSL),
    ...(c.KAFKA_SASL_MECHANISM ? { KAFKA_SASL_MECHANISM: c.KAFKA_SASL_MECHANISM } : {}),
  };
}
