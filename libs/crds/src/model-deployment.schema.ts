/**
 * ModelDeployment (crucible.dev/v1alpha1): which versions of a model serve, and how a new
 * version is rolled out (canary steps judged by analysis, in the manner of Argo Rollouts and
 * Flagger). Status mirrors the @crucible/rollout state, with times as RFC 3339 strings.
 */
import { z } from 'zod';
import { ConditionSchema, EnvFromSourceSchema, EnvVarSchema, FileMountSchema, Quantity, type ObjectMeta } from './common.schema';

const VersionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}@[0-9]+$/);

export const RolloutSpecSchema = z.object({
  /** Canary weights in percent, strictly increasing (checked by the operator). */
  steps: z.array(z.number().int().min(1).max(100)).min(1),
  stepIntervalSeconds: z.number().int().min(0),
  analysis: z.object({
    minRequests: z.number().int().min(0),
    /** Fraction 0..1. */
    maxErrorRate: z.number().min(0).max(1),
    maxP99LatencyMs: z.number().min(0),
    maxErrorRateIncrease: z.number().min(0).max(1).optional(),
  }),
});

export const ModelDeploymentSpecSchema = z.object({
  model: z.string().min(1),
  /** The version serving all traffic; the operator sets it to the canary on promotion. */
  stableVersionId: VersionId.optional(),
  /** A version to roll out; removed by the operator on promotion. */
  canaryVersionId: VersionId.optional(),
  rollout: RolloutSpecSchema.optional(),
  serving: z.object({
    image: z.string().min(1),
    replicas: z.number().int().min(0).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    resources: z
      .object({ cpu: Quantity.optional(), memory: Quantity.optional(), gpus: z.number().int().min(0).optional() })
      .optional(),
    /** Variables of the serving container, after the operator's defaults; `valueFrom` references Secrets/ConfigMaps. */
    env: z.array(EnvVarSchema).optional(),
    /** Whole ConfigMaps/Secrets as variables (before `env`, which wins). */
    envFrom: z.array(EnvFromSourceSchema).optional(),
    /** Secrets/ConfigMaps mounted read-only as files (e.g. the Kafka CA named by NODE_EXTRA_CA_CERTS). */
    mounts: z.array(FileMountSchema).optional(),
    /** PVC holding `<dataDir>/models/<model>/<n>/`. */
    modelsClaimName: z.string().optional(),
  }),
});
export type ModelDeploymentSpec = z.infer<typeof ModelDeploymentSpecSchema>;

export const MODEL_DEPLOYMENT_PHASES = ['Pending', 'Stable', 'Progressing', 'Promoted', 'RolledBack'] as const;
export type ModelDeploymentPhase = (typeof MODEL_DEPLOYMENT_PHASES)[number];

const RolloutHistoryEntry = z.object({
  type: z.enum(['started', 'weight-changed', 'promoted', 'rolled-back']),
  at: z.string(),
  canaryWeight: z.number().int().min(0).max(100),
  stableVersionId: z.string().optional(),
  canaryVersionId: z.string().optional(),
  reason: z.string().optional(),
});

export const ModelDeploymentStatusSchema = z.object({
  phase: z.enum(MODEL_DEPLOYMENT_PHASES).optional(),
  observedGeneration: z.number().int().min(0).optional(),
  conditions: z.array(ConditionSchema).optional(),
  stableVersionId: z.string().optional(),
  canaryVersionId: z.string().optional(),
  canaryWeight: z.number().int().min(0).max(100).optional(),
  stepIndex: z.number().int().min(0).optional(),
  stepStartedAt: z.string().optional(),
  stepStartRequests: z.number().int().min(0).optional(),
  reason: z.string().optional(),
  /** The last rollouts' events, newest last (bounded by the operator). */
  history: z.array(RolloutHistoryEntry).optional(),
  /** How many `history` entries were published to the rollout topics (an outbox cursor). */
  publishedEvents: z.number().int().min(0).optional(),
});
export type ModelDeploymentStatus = z.infer<typeof ModelDeploymentStatusSchema>;
export type RolloutHistoryEntry = z.infer<typeof RolloutHistoryEntry>;

export interface ModelDeployment {
  apiVersion: string;
  kind: 'ModelDeployment';
  metadata: ObjectMeta;
  spec: ModelDeploymentSpec;
  status?: ModelDeploymentStatus;
}
