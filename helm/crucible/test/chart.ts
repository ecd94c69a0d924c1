/**
 * Helpers for the chart's integration suites: render helm/crucible with the real helm
 * (infra/tools/helm), validate with the real kubeconform against local schemas only, and turn
 * the chart's CRDs (helm/crucible/crds/*.yaml) into kubeconform JSON schemas. The cluster
 * helpers (kubeconfig, polling) come from infra/k8s/test/kube.ts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { repoRoot, tool } from '../../../infra/k8s/test/kube';

const run = promisify(execFile);

export const chartDir = path.join(repoRoot, 'helm/crucible');
export const fixture = (name: string) => path.join(chartDir, 'test/fixtures', name);
export const maximalValues = fixture('values-max.yaml');

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool, returning its exit code and output instead of throwing. */
export async function exec(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  return run(file, args, { env, maxBuffer: 64 * 1024 * 1024 }).then(
    (o) => ({ code: 0, stdout: o.stdout, stderr: o.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
}

export const helm = (args: string[]) => exec(tool('helm'), args);

export interface RenderOptions {
  readonly namespace: string;
  readonly valuesFiles?: readonly string[];
  readonly set?: readonly string[];
  readonly kubeVersion?: string;
  readonly release?: string;
}

/** `helm template` with the chart's CRDs; throws with helm's stderr on failure. */
export async function render(o: RenderOptions): Promise<{ text: string; docs: k8s.KubernetesObject[] }> {
  const args = ['template', o.release ?? 'crucible', chartDir, '--namespace', o.namespace, '--include-crds'];
  for (const f of o.valuesFiles ?? []) args.push('--values', f);
  for (const s of o.set ?? []) args.push('--set', s);
  if (o.kubeVersion) args.push('--kube-version', o.kubeVersion);
  const r = await helm(args);
  if (r.code !== 0) throw new Error(`helm template failed (${r.code}): ${r.stderr}`);
  return { text: r.stdout, docs: loadDocs(r.stdout) };
}

export function loadDocs(text: string): k8s.KubernetesObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as k8s.KubernetesObject | null)
    .filter((d): d is k8s.KubernetesObject => !!d);
}

export const ofKind = <T = k8s.KubernetesObject>(docs: readonly k8s.KubernetesObject[], kind: string) => docs.filter((d) => d.kind === kind) as T[];

export interface KubeconformResult {
  readonly code: number;
  readonly resources: Array<{ kind: string; name: string; status: string; msg: string }>;
  readonly summary: Record<string, number>;
}

/** kubeconform -strict against schemaDir only; a proxy on a closed port makes any download fail. */
export async function kubeconform(file: string, schemaDir: string): Promise<KubeconformResult> {
  const env = { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', CRUCIBLE_SCHEMA_DIR: schemaDir };
  const r = await exec(tool('kubeconform'), ['-strict', '-summary', '-output', 'json', file], env);
  const out = r.stdout + r.stderr;
  const json = JSON.parse(out.slice(out.indexOf('{'))) as Omit<KubeconformResult, 'code'>;
  return { code: r.code, resources: json.resources ?? [], summary: json.summary };
}

// ---- CRD YAML → kubeconform JSON schema -------------------------------------------------

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  type?: string | string[];
};

/**
 * One CRD version's openAPIV3Schema as kubeconform reads it, following what the apiserver
 * accepts: int-or-string → string|integer; OpenAPI 3.0's boolean exclusiveMinimum/Maximum →
 * the numeric form of later drafts (kubeconform's validator would otherwise ignore them);
 * `nullable` and optional properties accept null; in strict mode every object with
 * properties is closed unless it preserves unknown fields. Same layout as infra/tools/gen-schemas.
 */
export function crdVersionSchema(openAPIV3Schema: Schema, strict: boolean): Schema {
  const convert = (input: Schema): Schema => {
    let s: Schema = { ...input };
    if (s['x-kubernetes-int-or-string'] === true) {
      const { type: _t, 'x-kubernetes-int-or-string': _x, ...rest } = s;
      s = { ...rest, oneOf: [{ type: 'string' }, { type: 'integer' }] };
    }
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (s[flag] === true) {
        s[flag] = s[bound];
        delete s[bound];
      } else if (s[flag] === false) delete s[flag];
    }
    if (s.properties) {
      const required = new Set(s.required ?? []);
      s.properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, required.has(k) ? convert(p) : allowNull(convert(p))]));
      if (strict && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) s.additionalProperties = false;
    }
    if (s.items && typeof s.items === 'object') s.items = convert(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') s.additionalProperties = convert(s.additionalProperties);
    if (s.nullable === true) s = allowNull(s);
    delete s.nullable;
    return s;
  };
  return convert(structuredClone(openAPIV3Schema));
}

function allowNull(s: Schema): Schema {
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  if (Array.isArray(s.oneOf)) return { ...s, oneOf: [...(s.oneOf as Schema[]), { type: 'null' }] };
  return s;
}

/** Writes every served version of every CRD in `crds` into schemaDir's standalone(-strict) folders; returns the file names. */
export function writeCrdSchemas(crds: readonly k8s.V1CustomResourceDefinition[], schemaDir: string): string[] {
  const kubeVersion = fs.readFileSync(path.join(schemaDir, 'kubernetes-version'), 'utf8').trim();
  const written: string[] = [];
  for (const crd of crds) {
    const group0 = crd.spec.group.split('.')[0];
    for (const v of crd.spec.versions) {
      if (!v.served || !v.schema?.openAPIV3Schema) continue;
      const file = `${crd.spec.names.kind}-${group0}-${v.name}`.toLowerCase() + '.json';
      for (const strict of [false, true]) {
        const dir = path.join(schemaDir, `v${kubeVersion}-standalone${strict ? '-strict' : ''}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, file), JSON.stringify(crdVersionSchema(v.schema.openAPIV3Schema as Schema, strict)));
      }
      written.push(file);
    }
  }
  return written;
}

/** The chart's CRDs as they are in helm/crucible/crds at run time (the operator engineer owns them). */
export function chartCrds(): k8s.V1CustomResourceDefinition[] {
  const dir = path.join(chartDir, 'crds');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => loadDocs(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((d): d is k8s.V1CustomResourceDefinition => d.kind === 'CustomResourceDefinition');
}
