/**
 * A running gateway for integration tests: a data directory with real tiny model artifacts
 * (`makeTinyArtifact`, run by ONNX Runtime), a real SQLite registry with those versions
 * registered and the first one champion, the real HTTP server on a free port, and the
 * gateway's log lines captured (to prove what is, and is not, logged).
 */
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { TextModel } from '@crucible/model-artifact';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { type Registry, openRegistry } from '@crucible/registry';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore, resolvePepper } from '../auth/api-keys';
import { openServing } from '../open-serving';
import { ServingRuntime } from '../serving-runtime';
import type { ServingSettingsInput } from '../serving.settings';
import { ServingModule } from '../serving.module';

export interface GatewayOptions {
  readonly settings?: ServingSettingsInput;
  /** Default: an embedded (SQLite) bus in the data directory. */
  readonly bus?: EventBus;
  readonly model?: string;
  /** Versions registered before start (`<model>@1` … `@n`); the first is champion. Default 1. */
  readonly versions?: number;
  readonly group?: string;
}

export interface Gateway {
  readonly url: string;
  readonly dataDir: string;
  readonly model: string;
  readonly registry: Registry;
  readonly runtime: ServingRuntime;
  readonly service: RunningService;
  /** Every log line the gateway wrote. */
  readonly logs: string[];
  /** Loads and closes of model versions, in order (`load tiny@1`, `close tiny@1`). */
  readonly modelEvents: string[];
  /** Writes a new artifact and registers it; returns its version id. */
  addVersion(): Promise<string>;
  createKey(models: readonly string[], limits?: { requestsPerMinute?: number; tokensPerMinute?: number }): string;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crucible-serving-'));
  const model = options.model ?? 'tiny';
  const registry = await openRegistry(`sqlite:${join(dataDir, 'registry.db')}`);
  let versions = 0;
  const addVersion = async (): Promise<string> => {
    const n = ++versions;
    const runId = `${model}-run-${n}`;
    const dir = await makeTinyArtifact(dataDir, { model, n, seed: n });
    await registry.runs.create({ runId, model, datasetId: 'tiny@1', request: { test: true } });
    const reserved = await registry.models.nextVersion(model, runId);
    if (reserved.n !== n) throw new Error(`registry reserved ${reserved.id}, the artifact is ${model}@${n}`);
    await registry.models.registerVersion({
      model,
      runId,
      datasetId: 'tiny@1',
      datasetSha256: 'a'.repeat(64),
      tokenizerId: 'tiny-bpe',
      codeVersion: 'test',
      hyperParameters: {},
      artifactPath: dir,
      parameters: 1,
    });
    return reserved.id;
  };
  for (let i = 0; i < (options.versions ?? 1); i++) await addVersion();
  await registry.models.setAlias(model, 'champion', `${model}@1`, { by: 'test' });

  const logs: string[] = [];
  const logger = createLogger('serving', 'info', { write: (line: string) => void logs.push(line) });
  const bus = options.bus ?? new EventBus(new EmbeddedBus({ path: join(dataDir, 'bus.sqlite') }), 'crucible/serving');
  const modelEvents: string[] = [];
  const serving = openServing({
    dataDir,
    registry,
    settings: { auth: 'off', ...options.settings },
    ...(options.group && { group: options.group }),
    loadModel: async (dir, versionId, modelOptions) => {
      const loaded = await TextModel.load(dir, { ...modelOptions, threads: 1 });
      modelEvents.push(`load ${versionId}`);
      const close = loaded.close.bind(loaded);
      loaded.close = async () => {
        modelEvents.push(`close ${versionId}`);
        await close();
      };
      return loaded;
    },
  });
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('serving') }), ServingModule.forRoot(serving)] })
  class App {}
  const service = await runService({
    module: App,
    bus,
    logger,
    host: '127.0.0.1',
    port: 0,
    bodyParser: false,
    consumers: { fromBeginning: false },
  });
  const runtime = service.app.get(ServingRuntime);
  const keys = () => new ApiKeyStore(serving.settings.keysFile ?? join(dataDir, 'serving', 'keys.json'), resolvePepper(serving.settings.keyPepper, join(dataDir, 'serving', 'pepper')));
  return {
    url: service.url,
    dataDir,
    model,
    registry,
    runtime,
    service,
    logs,
    modelEvents,
    addVersion,
    createKey: (models, limits = {}) =>
      keys().create({ models, requestsPerMinute: limits.requestsPerMinute ?? 1_000, tokensPerMinute: limits.tokensPerMinute ?? 1_000_000 }).key,
    close: async () => {
      await service.stop();
      await registry.close();
    },
  };
}
