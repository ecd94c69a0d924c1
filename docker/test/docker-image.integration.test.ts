// The container build files, checked without a Docker engine (none exists here, so the images
// are never built in CI — docs/deploying.md says so). Static checks: every COPY source is in
// the build context (exists, not excluded by .dockerignore), every --from names an earlier
// stage, the entry point is copied into the final stage, ORT's CUDA download happens in the
// GPU image only. Then the image's build and start are replayed on this machine: the context
// is copied, docker/compile.cjs compiles it in place, and services start from docker/start.cjs
// with a node_modules that has no SWC, TypeScript or other dev tools — so the runtime really
// needs no compiler — and answer /healthz and /readyz.
// An integration suite because it compiles the whole workspace and boots real services.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_COMPONENTS } from '../../helm/crucible/test/rendered-env';
import { contextFiles, dockerignore, envOf, parseCopy, parseDockerfile, stages } from './dockerfile';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const requireHere = createRequire(import.meta.url);
const ignored = dockerignore(path.join(repoRoot, '.dockerignore'));
const dockerfiles = ['docker/service.Dockerfile', 'docker/trainer-gpu.Dockerfile'];
const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');
const stagesOf = (rel: string) => stages(parseDockerfile(read(rel)));
// Booted from the replayed image on the embedded bus: every service but the operator, which needs a Kubernetes API.
const TRAINER_POD_ENTRY = 'services/training/src/pod/train-pod.ts';
const BOOTED = ['ingestion', 'cleaning', 'tokenization', 'training', 'evaluation', 'safety', 'serving'];

describe.each(dockerfiles)('%s', (file) => {
  it('copies only what the build context has, and --from names an earlier stage', () => {
    const all = stagesOf(file);
    expect(all.length).toBeGreaterThanOrEqual(3);
    all.forEach((stage, i) => {
      for (const ins of stage.instructions.filter((x) => x.op === 'COPY')) {
        const copy = parseCopy(ins.args);
        if (copy.from) {
          const earlier = all.slice(0, i).map((s) => s.name);
          expect(earlier, `line ${ins.line}: --from=${copy.from}`).toContain(copy.from);
          continue;
        }
        for (const src of copy.sources) {
          expect(fs.existsSync(path.join(repoRoot, src)), `line ${ins.line}: ${src} exists`).toBe(true);
          if (src !== '.') expect(ignored(src), `line ${ins.line}: ${src} is not in .dockerignore`).toBe(false);
        }
      }
    });
  });

  it('runs as a numeric non-root user and starts docker/start.cjs, which the final stage copies', () => {
    const final = stagesOf(file).at(-1)!;
    const user = final.instructions.filter((i) => i.op === 'USER').at(-1)!.args;
    expect(user).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    const entry = JSON.parse(final.instructions.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    // The GPU image runs the trainer pod (the operator's Jobs); it still ships start.cjs for `--entrypoint`.
    expect(entry).toEqual(file === 'docker/trainer-gpu.Dockerfile' ? ['node', 'scripts/run-ts.cjs', TRAINER_POD_ENTRY] : ['node', '--no-memory-reducer', 'docker/start.cjs']);
    const copied = final.instructions.filter((i) => i.op === 'COPY').map((i) => parseCopy(i.args));
    expect(copied.some((c) => c.sources.includes('/app/docker/start.cjs'))).toBe(true);
    expect(copied.find((c) => c.sources.includes('/app/docker/register.cjs'))?.dest).toBe('./scripts/register.cjs');
    // The final stage installs no dependencies and ships no compiler.
    expect(final.instructions.filter((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args))).toEqual([]);
  });

  it('installs with the lockfile (npm ci) and prunes dev dependencies before the final stage copies node_modules', () => {
    const build = stagesOf(file).find((s) => s.name === 'build')!;
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /node docker\/compile\.cjs/.test(r) && /npm prune --omit=dev/.test(r))).toBe(true);
  });
});

describe('ONNX Runtime CUDA execution provider', () => {
  it('is fetched in the GPU image only, with flags this onnxruntime-node version accepts', () => {
    const pkg = JSON.parse(read('package.json')) as { allowScripts: Record<string, boolean> };
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false); // denied for every ordinary install
    const service = stagesOf('docker/service.Dockerfile').find((s) => s.name === 'build')!;
    expect(envOf(service).ONNXRUNTIME_NODE_INSTALL).toBe('skip');
    const gpu = stagesOf('docker/trainer-gpu.Dockerfile').find((s) => s.name === 'build')!;
    expect(gpu.from).toBe('${CUDA_IMAGE}');
    expect(envOf(gpu)).toMatchObject({ ONNXRUNTIME_NODE_INSTALL: 'cuda12', ONNXRUNTIME_NODE_INSTALL_CUDA: 'v12' });
    expect(gpu.instructions.some((i) => i.op === 'RUN' && i.args.includes('node node_modules/onnxruntime-node/script/install.js'))).toBe(true);
    const cudaImage = /ARG CUDA_IMAGE=(\S+)/.exec(read('docker/trainer-gpu.Dockerfile'))![1]!;
    expect(cudaImage).toMatch(/^nvidia\/cuda:12\.[0-9.]+-cudnn-runtime-/);
    // The value must name a manifest of the installed ORT for linux/x64, or its script throws.
    const metadata = requireHere(path.join(repoRoot, 'node_modules/onnxruntime-node/script/install-metadata.js')) as { requirements: Record<string, string[]>; manifests: Record<string, Record<string, unknown>> };
    expect(metadata.requirements['linux/x64']).toContain('cuda12');
    expect(Object.keys(metadata.manifests['linux/x64:cuda12']!)).toContain('./libonnxruntime_providers_cuda.so');
  });
});

describe('huge pages', () => {
  it('both images run with glibc marking its large allocations for transparent huge pages (scripts/huge-pages.cjs)', () => {
    for (const file of ['docker/service.Dockerfile', 'docker/trainer-gpu.Dockerfile']) {
      const runtime = stagesOf(file).find((s) => s.name === 'runtime')!;
      expect(envOf(runtime).GLIBC_TUNABLES, file).toBe('glibc.malloc.hugetlb=1');
    }
  });
});

describe('docker/start.cjs', () => {
  it('knows exactly the chart components, and each written service has its main.ts', () => {
    const source = read('docker/start.cjs');
    const listed = JSON.parse(/const SERVICES = (\[[^\]]*\])/.exec(source)![1]!.replace(/'/g, '"')) as string[];
    expect(listed).toEqual([...SERVICE_COMPONENTS]);
    for (const s of [...BOOTED, 'operator']) expect(fs.existsSync(path.join(repoRoot, 'services', s, 'src/main.ts')), s).toBe(true);
  });
});

describe('the service image, replayed without Docker', { timeout: 300_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crucible-image-'));
  const app = path.join(tmp, 'app');
  const children: ChildProcess[] = [];

  beforeAll(() => {
    // COPY . . — the build context as .dockerignore leaves it.
    for (const rel of contextFiles(repoRoot, ignored)) {
      if (!/^(libs|services|scripts|docker)\/|^package(-lock)?\.json$/.test(rel)) continue;
      fs.mkdirSync(path.dirname(path.join(app, rel)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, rel), path.join(app, rel));
    }
    // npm ci: the repository's installed tree stands in for it (same lockfile).
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(app, 'node_modules'));
    const compile = spawnSync(process.execPath, ['docker/compile.cjs'], { cwd: app, encoding: 'utf8' });
    expect(compile.status, compile.stderr).toBe(0);
    expect(compile.stdout).toMatch(/compile: \d+ TypeScript files compiled in place, \d+ test files removed/);
    // npm prune --omit=dev: a node_modules without the root's dev dependencies (SWC among them).
    fs.rmSync(path.join(app, 'node_modules'));
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    const dev = new Set(Object.keys(pkg.devDependencies).map((n) => (n.startsWith('@') ? n.split('/')[0]! : n)));
    dev.add('@swc'); // @swc/core's platform binaries
    fs.mkdirSync(path.join(app, 'node_modules/@crucible'), { recursive: true });
    for (const entry of fs.readdirSync(path.join(repoRoot, 'node_modules'))) {
      if (entry === '.bin' || entry === '@crucible' || dev.has(entry)) continue;
      fs.symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(app, 'node_modules', entry));
    }
    for (const ws of fs.readdirSync(path.join(repoRoot, 'node_modules/@crucible'))) {
      const target = fs.readlinkSync(path.join(repoRoot, 'node_modules/@crucible', ws)); // ../../libs/x
      const inApp = path.resolve(path.join(app, 'node_modules/@crucible'), target);
      if (fs.existsSync(inApp)) fs.symlinkSync(inApp, path.join(app, 'node_modules/@crucible', ws));
    }
    // Workspaces with their own nested node_modules (versions that differ from the root's).
    for (const top of ['libs', 'services'])
      for (const ws of fs.readdirSync(path.join(repoRoot, top))) {
        const nested = path.join(repoRoot, top, ws, 'node_modules');
        if (fs.existsSync(nested) && fs.existsSync(path.join(app, top, ws))) fs.symlinkSync(nested, path.join(app, top, ws, 'node_modules'));
      }
    fs.copyFileSync(path.join(app, 'docker/register.cjs'), path.join(app, 'scripts/register.cjs'));
  }, 300_000);

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('compiled every TypeScript file in place and removed the tests', () => {
    const main = fs.readFileSync(path.join(app, 'services/cleaning/src/main.ts'), 'utf8');
    expect(main.startsWith('// Compiled from TypeScript at image build time')).toBe(true);
    expect(main).toMatch(/require\("@crucible\/service-kit"\)/);
    expect(fs.existsSync(path.join(app, 'services/cleaning/src/clean-documents/clean-documents.service.test.ts'))).toBe(false);
    expect(() => requireHere.resolve('@swc/core', { paths: [path.join(app, 'scripts')] })).toThrow();
  });

  it('refuses an unknown CRUCIBLE_SERVICE', () => {
    const r = spawnSync(process.execPath, ['docker/start.cjs'], { cwd: app, env: { ...process.env, CRUCIBLE_SERVICE: 'bogus' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/CRUCIBLE_SERVICE must be one of ingestion, cleaning/);
  });

  it('starts the GPU image’s trainer pod entry with no compiler: a pod without a job exits 3 (the Job fails at once)', () => {
    const r = spawnSync(process.execPath, ['scripts/run-ts.cjs', TRAINER_POD_ENTRY], {
      cwd: app,
      env: { PATH: process.env.PATH, CRUCIBLE_BUS: 'embedded', CRUCIBLE_DATA_DIR: path.join(tmp, 'data-trainer-pod'), CRUCIBLE_RUN_ID: 'image-check' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/CRUCIBLE_TRAINING_JOB is empty/);
  });

  it.each(BOOTED)('starts %s from docker/start.cjs with no compiler, serves /healthz and /readyz, drains on SIGTERM', async (service) => {
    const dataDir = path.join(tmp, `data-${service}`);
    const child = spawn(process.execPath, ['docker/start.cjs'], {
      cwd: app,
      env: { PATH: process.env.PATH, CRUCIBLE_SERVICE: service, CRUCIBLE_BUS: 'embedded', CRUCIBLE_DATA_DIR: dataDir, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${service} did not start:\n${output}`)), 120_000);
      const check = () => {
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*service listening|service listening[^\n]*"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve((m[1] ?? m[2])!);
        }
      };
      child.stdout!.on('data', check);
      child.on('exit', (code) => reject(new Error(`${service} exited ${code}:\n${output}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/Cannot find module '@swc/);
  });
});
