// Generate kubeconform JSON schemas from a live apiserver's OpenAPI v2 document
// (built-in kinds AND every CRD installed on the server). See infra/tools/gen-schemas.
//
// Layout (kubeconform's / openapi2jsonschema's conventions):
//   <out>/kubernetes-version                      e.g. "1.37.2"
//   <out>/v<ver>-standalone/<kind>[-<group0>]-<version>.json
//   <out>/v<ver>-standalone-strict/…               same, objects closed (additionalProperties:false)
// where <group0> is the first DNS label of the API group (core group: omitted), all lower-case,
// i.e. exactly what kubeconform derives from a manifest's apiVersion/kind.
// "standalone": each file carries the definitions it references under "definitions", with
// local "#/definitions/…" refs (recursive types such as JSONSchemaProps stay finite).
//
// Conversions (all following what the apiserver accepts):
//   - int-or-string (format or x-kubernetes-int-or-string) -> oneOf string|integer
//   - resource.Quantity -> oneOf string|number (the server decodes `cpu: 1`)
//   - an optional property may be null (the server treats null as absent); required ones may not
//   - strict: a schema with "properties" and no "additionalProperties" gets additionalProperties:false,
//     unless it has x-kubernetes-preserve-unknown-fields: true.
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function usage(code) {
  process.stderr.write('usage: gen-schemas [--out DIR] [--kubeconfig FILE] [--from-file openapi-v2.json --kube-version X.Y.Z]\n');
  process.exit(code);
}

const args = process.argv.slice(2);
const opt = { out: process.env.CRUCIBLE_SCHEMA_DIR || path.join(process.env.CRUCIBLE_CACHE_DIR || path.join(process.env.HOME, '.cache/crucible'), 'schemas') };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--out') opt.out = args[++i];
  else if (a === '--kubeconfig') opt.kubeconfig = args[++i];
  else if (a === '--from-file') opt.fromFile = args[++i];
  else if (a === '--kube-version') opt.kubeVersion = args[++i];
  else if (a === '-h' || a === '--help') usage(0);
  else usage(2);
}

async function loadClient() {
  // Resolve @kubernetes/client-node from the repo root (a root devDependency).
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  let p;
  try {
    p = require.resolve('@kubernetes/client-node', { paths: [root] });
  } catch {
    throw new Error('@kubernetes/client-node is not installed at the repo root (npm install)');
  }
  return import(p);
}

async function get(kc, urlPath) {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + urlPath);
  const o = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { ...o, method: 'GET', headers: { ...o.headers, Accept: 'application/json' }, timeout: 60000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`GET ${url} -> HTTP ${res.statusCode}: ${body.slice(0, 300)}`));
        else resolve(JSON.parse(body));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const REF_PREFIX = '#/definitions/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

// Children of a schema node, structurally (never treats a property NAMED "properties" as a keyword).
function forEachChild(s, fn) {
  if (!s || typeof s !== 'object') return;
  if (s.properties) for (const k of Object.keys(s.properties)) fn(s.properties[k], (v) => (s.properties[k] = v), { parent: s, name: k });
  if (s.items && typeof s.items === 'object') {
    if (Array.isArray(s.items)) s.items.forEach((x, i) => fn(x, (v) => (s.items[i] = v)));
    else fn(s.items, (v) => (s.items = v));
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') fn(s.additionalProperties, (v) => (s.additionalProperties = v));
  for (const kw of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[kw])) s[kw].forEach((x, i) => fn(x, (v) => (s[kw][i] = v)));
  if (s.not && typeof s.not === 'object') fn(s.not, (v) => (s.not = v));
}

function collectRefs(s, out) {
  if (!s || typeof s !== 'object') return;
  if (typeof s.$ref === 'string' && s.$ref.startsWith(REF_PREFIX)) out.add(s.$ref.slice(REF_PREFIX.length));
  forEachChild(s, (c) => collectRefs(c, out));
}

function isIntOrString(s) {
  return s && (s.format === 'int-or-string' || s['x-kubernetes-int-or-string'] === true);
}

// Rewrite one schema tree (returns the possibly replaced node).
function convert(s, strict) {
  if (!s || typeof s !== 'object') return s;
  if (isIntOrString(s)) {
    const { type, format, 'x-kubernetes-int-or-string': _x, ...rest } = s;
    return { ...rest, oneOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  forEachChild(s, (c, set) => set(convert(c, strict)));
  if (s.properties) {
    const required = new Set(s.required || []);
    for (const [k, p] of Object.entries(s.properties)) if (!required.has(k)) s.properties[k] = nullable(p);
    if (strict && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) s.additionalProperties = false;
  }
  return s;
}

function nullable(p) {
  if (!p || typeof p !== 'object') return p;
  if (p.$ref) {
    const { $ref, ...rest } = p;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (typeof p.type === 'string') p.type = [p.type, 'null'];
  else if (Array.isArray(p.type)) { if (!p.type.includes('null')) p.type.push('null'); }
  else if (Array.isArray(p.oneOf) || Array.isArray(p.anyOf)) {
    const kw = p.oneOf ? 'oneOf' : 'anyOf';
    if (!p[kw].some((x) => x.type === 'null')) p[kw].push({ type: 'null' });
  }
  if (Array.isArray(p.enum) && !p.enum.includes(null)) p.enum.push(null);
  return p;
}

function fileName(gvk) {
  const group0 = gvk.group ? '-' + gvk.group.split('.')[0] : '';
  return `${gvk.kind}${group0}-${gvk.version}`.toLowerCase() + '.json';
}

function build(doc, kubeVersion, outDir) {
  const defs = doc.definitions || {};
  // Special built-in encodings.
  if (defs[QUANTITY]) defs[QUANTITY] = { description: defs[QUANTITY].description, oneOf: [{ type: 'string' }, { type: 'number' }] };

  const tmp = `${outDir}.tmp.${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const dirs = { false: path.join(tmp, `v${kubeVersion}-standalone`), true: path.join(tmp, `v${kubeVersion}-standalone-strict`) };
  fs.mkdirSync(dirs.false, { recursive: true });
  fs.mkdirSync(dirs.true, { recursive: true });

  const written = new Map();
  let count = 0;
  for (const [name, def] of Object.entries(defs)) {
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    // Transitive closure of referenced definitions.
    const need = new Set();
    const queue = [name];
    while (queue.length) {
      const n = queue.pop();
      if (need.has(n) || !defs[n]) continue;
      need.add(n);
      const refs = new Set();
      collectRefs(defs[n], refs);
      for (const r of refs) queue.push(r);
    }
    need.delete(name);
    for (const gvk of gvks) {
      const file = fileName(gvk);
      if (written.has(file) && written.get(file) !== name) {
        process.stderr.write(`gen-schemas: warning: ${file} from ${name} clashes with ${written.get(file)}; keeping the first\n`);
        continue;
      }
      if (written.has(file)) continue;
      written.set(file, name);
      for (const strict of [false, true]) {
        const root = convert(structuredClone(def), strict);
        if (need.size) {
          root.definitions = {};
          for (const n of [...need].sort()) root.definitions[n] = convert(structuredClone(defs[n]), strict);
        }
        fs.writeFileSync(path.join(dirs[strict], file), JSON.stringify(root, null, 1));
      }
      count++;
    }
  }
  fs.writeFileSync(path.join(tmp, 'kubernetes-version'), kubeVersion + '\n');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(tmp, outDir);
  return count;
}

async function main() {
  let doc, kubeVersion;
  if (opt.fromFile) {
    if (!opt.kubeVersion) usage(2);
    doc = JSON.parse(fs.readFileSync(opt.fromFile, 'utf8'));
    kubeVersion = opt.kubeVersion.replace(/^v/, '');
  } else {
    const k8s = await loadClient();
    const kc = new k8s.KubeConfig();
    if (opt.kubeconfig) kc.loadFromFile(opt.kubeconfig);
    else kc.loadFromDefault();
    const ver = await get(kc, '/version');
    kubeVersion = (opt.kubeVersion || ver.gitVersion).replace(/^v/, '');
    doc = await get(kc, '/openapi/v2');
  }
  const n = build(doc, kubeVersion, opt.out);
  process.stderr.write(`gen-schemas: ${n} kinds for Kubernetes ${kubeVersion} -> ${opt.out}\n`);
  process.stdout.write(opt.out + '\n');
}

main().catch((e) => {
  process.stderr.write(`gen-schemas: ${e.message}\n`);
  process.exit(1);
});
