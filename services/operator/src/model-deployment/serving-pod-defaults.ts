/**
 * What the operator puts on every per-version serving Deployment besides its ModelDeployment's
 * own `spec.serving`: the JSON the chart renders into OPERATOR_SERVING_DEFAULTS_FILE (helm
 * `crucible.servingPodDefaults`) — the chart gateway's environment (its ConfigMaps through
 * `envFrom`, the registry DSN, the key pepper and admin token, the SASL credentials as Secret
 * references), the Kafka CA mount, the pod security settings, the ServiceAccount and pull
 * secrets. Applied when the Deployment is built, so a chart upgrade reaches existing versions.
 */
import { z } from 'zod';
import { PodEnvDefaultsSchema } from '../kube/pod-template';

export const ServingPodDefaultsSchema = PodEnvDefaultsSchema.extend({
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(z.union([z.string(), z.object({ name: z.string() })])).optional(),
  serviceAccountName: z.string().optional(),
});
export type ServingPodDefaults = z.infer<typeof ServingPodDefaultsSchema>;
