/**
 * What the operator puts on a TrainingRun's pod when the TrainingRun does not say: the JSON
 * the chart renders into OPERATOR_TRAINING_DEFAULTS_FILE (helm `crucible.trainingPodDefaults`).
 */
import { z } from 'zod';

export const TrainingPodDefaultsSchema = z.object({
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
});
export type TrainingPodDefaults = z.infer<typeof TrainingPodDefaultsSchema>;
