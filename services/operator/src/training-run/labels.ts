/** Labels and names that tie owned objects back to their custom resource. */
import { createHash } from 'node:crypto';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'crucible-operator' } as const;
export const TRAINING_RUN_LABEL = 'crucible.dev/training-run';
export const RUN_ID_LABEL = 'crucible.dev/run-id';
export const MODEL_DEPLOYMENT_LABEL = 'crucible.dev/model-deployment';
export const VERSION_LABEL = 'crucible.dev/model-version';
export const FINALIZER = 'crucible.dev/operator-cleanup';

/** A DNS-1123 label (≤ 63 chars) from parts; long or odd names keep a hash suffix so they stay unique. */
export function dnsName(...parts: string[]): string {
  const raw = parts.join('-').toLowerCase();
  const clean = raw.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === raw && clean.length <= 63) return clean;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${clean.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** A label value (≤ 63 chars of [A-Za-z0-9._-], alphanumeric at both ends). */
export function labelValue(value: string): string {
  const clean = value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (clean === value && clean.length <= 63) return clean;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${clean.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
}

/** A model version id as a label value: `sotu@3` → `sotu.3` ('@' is not allowed in labels). */
export const versionLabel = (versionId: string): string => labelValue(versionId.replace('@', '.'));
