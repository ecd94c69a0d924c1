/**
 * What the operator puts on a TrainingRun's pod when the TrainingRun does not say: the JSON
 * the chart renders into OPERATOR_TRAINING_DEFAULTS_FILE (helm `crucible.trainingPodDefaults`).
 */
import { z } from 'zod';
import { PodEnvDefaultsSchema } from '../kube/pod-template';

/**
 * Besides placement and claims: `env` / `envFrom` / `mounts` (the SASL credentials, the
 * registry DSN as Secret references, the Kafka CA — kube/pod-template.ts), `securityContext`
 * (uid/gid of the chart's pods) and `sharedMounts`, where the release's services mount the
 * data and checkpoint claims (volume-layout.ts).
 */
export const TrainingPodDefaultsSchema = PodEnvDefaultsSchema.extend({
  image: z.string().optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(z.union([z.string(), z.object({ name: z.string() })])).optional(),
  gpus: z.number().int().min(0).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
  resources: z
    .object({
      requests: z.record(z.string(), z.string()).optional(),
      limits: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  priorityClassName: z.string().optional(),
  serviceAccountName: z.string().optional(),
  dataClaimName: z.string().optional(),
  checkpointClaimName: z.string().optional(),
  sharedMounts: z.object({ data: z.string().regex(/^\//).optional(), checkpoints: z.string().regex(/^\//).optional() }).optional(),
});
export type TrainingPodDefaults = z.infer<typeof TrainingPodDefaultsSchema>;
