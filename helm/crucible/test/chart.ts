/**
 * Helpers for the chart's integration suites: render helm/crucible with the real helm
 * (infra/tools/helm), validate with the real kubeconform against local schemas only, and turn
 * the chart's CRDs (helm/crucible/crds/*.yaml) into kubeconform JSON schemas. The cluster
 * helpers (kubeconfig, polling) come from infra/k8s/test/kube.ts.
 */
import { execFile } from 'node:child_process';
import https from 'node:https';
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
 * accepts: int-or-string → string|integer; `nullable` and optional properties accept null;
 * OpenAPI 3.0's boolean exclusiveMinimum stays as it is (kubeconform compiles draft-04, where
 * that form is the valid one; the numeric form makes the schema fail to load). In strict mode every object with
 * properties is closed unless it preserves unknown fields. Same layout as infra/tools/gen-schemas.
 */
export function crdVersionSchema(openAPIV3Schema: Schema, strict: boolean): Schema {
  const convert = (input: Schema): Schema => {
    let s: Schema = { ...input };
    if (s['x-kubernetes-int-or-string'] === true) {
      const { type: _t, 'x-kubernetes-int-or-string': _x, ...rest } = s;
      s = { ...rest, oneOf: [{ type: 'string' }, { type: 'integer' }] };
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

// ---- Raw API requests --------------------------------------------------------------------

/**
 * One request to the apiserver with the kubeconfig's credentials, body sent byte for byte
 * (client-node's typed serializer would silently drop fields its models do not know, so a
 * typo could never reach the server's strict field validation).
 */
export async function kubeRequest(kc: k8s.KubeConfig, method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(urlPath, kc.getCurrentCluster()!.server);
  const opts: https.RequestOptions = { method, headers: { 'Content-Type': contentType, Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The REST path of an object (collection path for create), through client-node's discovery. */
export async function objectPath(objs: k8s.KubernetesObjectApi, o: k8s.KubernetesObject, action: 'create' | 'patch' | 'read'): Promise<string> {
  const p = await (objs as unknown as { specUriPath(o: k8s.KubernetesObject, a: string): Promise<string> }).specUriPath(o, action);
  return new URL(p, 'https://x').pathname;
}

/** Server-side apply for real (CRDs), failing with the server's message. */
export async function apply(kc: k8s.KubeConfig, objs: k8s.KubernetesObjectApi, o: k8s.KubernetesObject, fieldManager: string): Promise<void> {
  const r = await kubeRequest(kc, 'PATCH', `${await objectPath(objs, o, 'patch')}?fieldManager=${fieldManager}&force=true&fieldValidation=Strict`, o, 'application/apply-patch+yaml');
  if (r.status >= 300) throw new Error(`apply ${o.kind}/${o.metadata?.name}: ${r.status} ${JSON.stringify(r.body.message)}`);
}

/** Create and server-side apply with dryRun=All and fieldValidation=Strict; returns both HTTP results. */
export async function dryRun(kc: k8s.KubeConfig, objs: k8s.KubernetesObjectApi, o: k8s.KubernetesObject, fieldManager: string) {
  const strict = 'dryRun=All&fieldValidation=Strict';
  const create = await kubeRequest(kc, 'POST', `${await objectPath(objs, o, 'create')}?${strict}`, o);
  const apply = await kubeRequest(kc, 'PATCH', `${await objectPath(objs, o, 'patch')}?${strict}&fieldManager=${fieldManager}&force=true`, o, 'application/apply-patch+yaml');
  return { create, apply };
}
