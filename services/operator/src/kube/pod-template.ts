/**
 * What every pod the operator creates shares with the chart's own workloads
 * (helm/crucible/templates/deployment.yaml): the restricted Pod Security baseline — non-root
 * uid 10001, read-only root filesystem with an emptyDir at /tmp, no privilege escalation, all
 * capabilities dropped, seccomp RuntimeDefault — and environment taken from Secrets and
 * ConfigMaps by reference (env `valueFrom`, `envFrom`, files mounted read-only), never by value.
 *
 * The chart hands its settings (uid/gid, the Secret references of the registry DSN, the key
 * pepper, the SASL credentials, the Kafka CA) to the operator in the defaults files
 * (`training-pod-defaults.json`, `serving-pod-defaults.json`); a resource's own `env`,
 * `envFrom` and `mounts` come after them.
 */
import type * as k8s from '@kubernetes/client-node';
import {
  EnvFromSourceSchema,
  EnvVarSchema,
  FileMountSchema,
  envFromProblem,
  envVarProblem,
  fileMountProblem,
  type EnvFromSource,
  type EnvVar,
  type FileMount,
} from '@crucible/crds';
import { z } from 'zod';

/** The service and trainer images' user (docker/*.Dockerfile `USER 10001:10001`). */
export const DEFAULT_UID = 10_001;
export const TMP_VOLUME = 'tmp';

export const PodSecuritySchema = z.object({
  runAsUser: z.number().int().min(1).optional(),
  runAsGroup: z.number().int().min(0).optional(),
  fsGroup: z.number().int().min(0).optional(),
});
export type PodSecurity = z.infer<typeof PodSecuritySchema>;

/** The parts of a defaults file that shape a pod's environment and hardening. */
export const PodEnvDefaultsSchema = z.object({
  /** EnvVar objects: literal values or `valueFrom` Secret/ConfigMap keys. */
  env: z.array(EnvVarSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  /** Secrets/ConfigMaps mounted read-only (e.g. the Kafka CA). */
  mounts: z.array(FileMountSchema).optional(),
  securityContext: PodSecuritySchema.optional(),
});
export type PodEnvDefaults = z.infer<typeof PodEnvDefaultsSchema>;

export function podSecurityContext(s: PodSecurity = {}): k8s.V1PodSecurityContext {
  const uid = s.runAsUser ?? DEFAULT_UID;
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: s.runAsGroup ?? uid,
    fsGroup: s.fsGroup ?? s.runAsGroup ?? uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.V1SecurityContext {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } };
}

/** The writable /tmp of a read-only root filesystem (as the chart's pods have). */
export const tmpVolume = (): k8s.V1Volume => ({ name: TMP_VOLUME, emptyDir: { sizeLimit: '1Gi' } });
export const tmpMount = (): k8s.V1VolumeMount => ({ name: TMP_VOLUME, mountPath: '/tmp' });

/**
 * `over` on top of `base`: a name set in `over` replaces the base's entry (its position moves to
 * `over`'s), later entries of one list win over earlier ones; no name appears twice.
 */
export function overlayEnv(base: readonly k8s.V1EnvVar[], over: readonly k8s.V1EnvVar[]): k8s.V1EnvVar[] {
  const overridden = new Set(over.map((e) => e.name));
  // A Map keeps the position of a name's first entry and the value of its last.
  const out = new Map<string, k8s.V1EnvVar>();
  for (const e of base) if (!overridden.has(e.name)) out.set(e.name, e);
  for (const e of over) out.set(e.name, e);
  return [...out.values()];
}

/** A CRD EnvVar as the core/v1 object (only the fields it has). */
export function toEnvVar(e: EnvVar): k8s.V1EnvVar {
  return { name: e.name, ...(e.valueFrom ? { valueFrom: e.valueFrom as k8s.V1EnvVarSource } : { value: e.value ?? '' }) };
}

export const toEnvFrom = (e: EnvFromSource): k8s.V1EnvFromSource => e as k8s.V1EnvFromSource;

/** File mounts → volumes and read-only volume mounts; a later mount of the same name replaces an earlier one. */
export function fileMounts(mounts: readonly FileMount[]): { volumes: k8s.V1Volume[]; volumeMounts: k8s.V1VolumeMount[] } {
  const byName = new Map<string, FileMount>();
  for (const m of mounts) byName.set(m.name, m);
  const list = [...byName.values()];
  return {
    volumes: list.map((m) => ({ name: m.name, ...(m.secret ? { secret: m.secret } : { configMap: m.configMap! }) })),
    volumeMounts: list.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true })),
  };
}

/** What the apiserver would refuse in env / envFrom / mounts, found before anything is created. */
export function podEnvProblems(input: { env?: readonly EnvVar[]; envFrom?: readonly EnvFromSource[]; mounts?: readonly FileMount[] }): string[] {
  return [
    ...(input.env ?? []).map(envVarProblem),
    ...(input.envFrom ?? []).map(envFromProblem),
    ...(input.mounts ?? []).map(fileMountProblem),
  ].filter((p): p is string => p !== undefined);
}
