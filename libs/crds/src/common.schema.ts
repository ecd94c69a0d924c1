/** Pieces shared by the crucible.dev resources: API identity, conditions, tolerations, quantities. */
import { z } from 'zod';

export const GROUP = 'crucible.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** A resource quantity as Kubernetes writes it (`500m`, `4Gi`, `2`). */
export const Quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/);

/** metav1.Condition, the shape kubebuilder and cert-manager use. */
export const ConditionSchema = z.object({
  type: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().min(1),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const TolerationSchema = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});
export type Toleration = z.infer<typeof TolerationSchema>;

const KeySelector = z.object({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().optional() });

/**
 * core/v1 EnvVar, restricted to what a template for operator-made pods needs: a literal
 * `value`, or `valueFrom` a Secret or ConfigMap key (or a field of the pod) — so secrets
 * (registry DSN, SASL password, key pepper) are referenced, never copied into a resource.
 * Exactly one of `value` / `valueFrom` (checked by the operator, as the apiserver does).
 */
export const EnvVarSchema = z.object({
  name: z.string().min(1),
  value: z.string().optional(),
  valueFrom: z
    .object({
      secretKeyRef: KeySelector.optional(),
      configMapKeyRef: KeySelector.optional(),
      fieldRef: z.object({ fieldPath: z.string().min(1), apiVersion: z.string().optional() }).optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

/** core/v1 EnvFromSource: every key of a ConfigMap or Secret as variables. */
export const EnvFromSourceSchema = z.object({
  prefix: z.string().optional(),
  configMapRef: z.object({ name: z.string().min(1), optional: z.boolean().optional() }).optional(),
  secretRef: z.object({ name: z.string().min(1), optional: z.boolean().optional() }).optional(),
});
export type EnvFromSource = z.infer<typeof EnvFromSourceSchema>;

/**
 * A Secret or ConfigMap mounted read-only as files (e.g. the Kafka CA that NODE_EXTRA_CA_CERTS
 * names). `name` is the volume's name in the pod.
 */
export const FileMountSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63),
  mountPath: z.string().min(1),
  secret: z.object({ secretName: z.string().min(1), items: z.array(z.object({ key: z.string().min(1), path: z.string().min(1) })).optional(), optional: z.boolean().optional() }).optional(),
  configMap: z.object({ name: z.string().min(1), items: z.array(z.object({ key: z.string().min(1), path: z.string().min(1) })).optional(), optional: z.boolean().optional() }).optional(),
});
export type FileMount = z.infer<typeof FileMountSchema>;

/** The apiserver's rule for an EnvVar: a value or a valueFrom with exactly one source (an empty value counts as a value). */
export function envVarProblem(e: EnvVar): string | undefined {
  const sources = e.valueFrom ? [e.valueFrom.secretKeyRef, e.valueFrom.configMapKeyRef, e.valueFrom.fieldRef].filter(Boolean).length : 0;
  if (e.valueFrom && e.value !== undefined && e.value !== '') return `env ${e.name}: value and valueFrom are exclusive`;
  if (e.valueFrom && sources !== 1) return `env ${e.name}: valueFrom needs exactly one of secretKeyRef, configMapKeyRef, fieldRef`;
  return undefined;
}

/** The apiserver's rule for an EnvFromSource / a file mount: exactly one source. */
export const envFromProblem = (e: EnvFromSource): string | undefined =>
  [e.configMapRef, e.secretRef].filter(Boolean).length === 1 ? undefined : 'envFrom: each entry needs exactly one of configMapRef, secretRef';
export const fileMountProblem = (m: FileMount): string | undefined =>
  [m.secret, m.configMap].filter(Boolean).length === 1 ? undefined : `mount ${m.name}: needs exactly one of secret, configMap`;

/** Object metadata as the operator reads it (the CRD schema leaves metadata to the apiserver). */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}
