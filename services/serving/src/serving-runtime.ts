/**
 * Everything the gateway's endpoints share, built once per process: the model pool and its
 * schedulers, the version router and its traffic routes (the embedded release controller or
 * the operator's routing file or fixed inline routes), API keys, rate limits, guardrails and metrics.
 */
import type { EventBus } from '@crucible/bus';
import { type Guardrail, createGuardrail } from '@crucible/guardrails';
import { TextModel, type TextModelOptions } from '@crucible/model-artifact';
import { WorkerScheduler } from './engine/worker-scheduler';
import { parseModelReference } from '@crucible/registry';
import type { Logger, Metrics, Readiness } from '@crucible/service-kit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyStore, resolvePepper } from './auth/api-keys';
import { RateLimiter } from './auth/rate-limiter';
import { ServingMetrics } from './observability/serving-metrics';
import { ReleaseController } from './release/release-controller';
import { VersionTraffic } from './release/version-traffic';
import type { ServingOptions } from './serving.options';
import type { ServingSettings } from './serving.settings';
import { ModelPool } from './versions/model-pool';
import { InlineRoutes, RoutingFile } from './versions/routing-file';
import type { TrafficRoutes } from './versions/traffic-routes';
import { VersionRouter } from './versions/version-router';

export class ServingRuntime {
  readonly settings: ServingSettings;
  readonly metrics: ServingMetrics;
  readonly traffic = new VersionTraffic();
  readonly pool: ModelPool;
  readonly router: VersionRouter;
  readonly keys: ApiKeyStore | undefined;
  readonly limiter = new RateLimiter();
  readonly guardrail: Guardrail | undefined;
  /** Embedded rollout mode only. */
  readonly release: ReleaseController | undefined;
  /** External mode: the operator's routing file, or inline routes fixed at start. */
  private readonly externalRoutes: RoutingFile | InlineRoutes | undefined;
  private routed = new Set<string>();

  constructor(
    readonly options: ServingOptions,
    readonly bus: EventBus,
    readonly logger: Logger,
    metrics: Metrics,
    readiness: Readiness,
  ) {
    const { settings, registry, dataDir } = options;
    this.settings = settings;
    this.metrics = new ServingMetrics(metrics);
    this.pool = new ModelPool({
      load: async (versionId) => {
        const dir = await this.artifactDir(versionId);
        // With an engine worker, this thread keeps only the text side (tokenizer, template): no weights, no session.
        const modelOptions: TextModelOptions = { engine: settings.engineThread === 'main', fp16: settings.fp16, spinWait: settings.ortSpinWait, ...(settings.threads && { threads: settings.threads }) };
        return options.loadModel ? options.loadModel(dir, versionId, modelOptions) : TextModel.load(dir, modelOptions);
      },
      ...(settings.engineThread === 'worker' && {
        startScheduler: (versionId, model, observer) =>
          WorkerScheduler.start(
            {
              versionId,
              modelDir: model.dir,
              engine: { fp16: settings.fp16, spinWait: settings.ortSpinWait, ...(settings.threads && { threads: settings.threads }) },
              limits: { maxBatch: settings.limits.maxBatch, maxQueue: settings.limits.maxQueue },
            },
            observer,
          ),
      }),
      limits: { maxBatch: settings.limits.maxBatch, maxQueue: settings.limits.maxQueue },
      observerFor: (versionId) => this.metrics.stepObserver(versionId),
      onStateChange: (versionId, state) => {
        for (const s of ['serving', 'draining'] as const) this.metrics.loadedVersions.set({ model_version: versionId, state: s }, s === state ? 1 : 0);
      },
      idleUnloadMs: settings.idleUnloadMs,
      logger,
    });
    let routes: TrafficRoutes;
    if (settings.rollout.mode === 'external') {
      const { routingFile, routes: inline } = settings.rollout;
      this.externalRoutes = inline ? new InlineRoutes(inline) : new RoutingFile(routingFile!, logger, (versions) => void this.followRoutes(versions));
      routes = this.externalRoutes;
    } else {
      routes = { routesFor: (model) => this.release?.routesFor(model), routedVersions: () => this.release?.routedVersions() ?? [] };
    }
    this.router = new VersionRouter(registry, routes);
    if (settings.rollout.mode === 'embedded') {
      this.release = new ReleaseController({ registry, pool: this.pool, router: this.router, traffic: this.traffic, bus, spec: settings.rollout.spec, tickMs: settings.rollout.tickMs, logger });
    }
    if (settings.auth === 'on') {
      const pepper = resolvePepper(settings.keyPepper, join(dataDir, 'serving', 'pepper'));
      this.keys = new ApiKeyStore(settings.keysFile ?? join(dataDir, 'serving', 'keys.json'), pepper);
    }
    this.guardrail = settings.guardrails ? createGuardrail() : undefined;
    readiness.register('serving-models', () => this.pool.loaded().some((v) => v.state === 'serving') || this.pool.loaded().length === 0);
  }

  async start(): Promise<void> {
    if (this.release) await this.release.start();
    if (this.externalRoutes) await this.followRoutes(this.externalRoutes.routedVersions());
  }

  async stop(): Promise<void> {
    this.release?.stop();
    if (this.externalRoutes instanceof RoutingFile) this.externalRoutes.close();
    await this.pool.close();
  }

  /** The registry's recorded artifact path when it exists here, else `<dataDir>/models/<model>/<n>`. */
  private async artifactDir(versionId: string): Promise<string> {
    const recorded = (await this.router.version(versionId))?.artifactPath;
    if (recorded && existsSync(recorded)) return recorded;
    const ref = parseModelReference(versionId);
    if (ref.kind !== 'version') throw new Error(`not a version id: ${versionId}`);
    return join(this.options.dataDir, 'models', ref.model, String(ref.n));
  }

  /** External mode: routed versions are loaded before traffic reaches them; versions no longer routed drain. */
  private async followRoutes(versions: readonly string[]): Promise<void> {
    const before = this.routed;
    this.routed = new Set(versions);
    await Promise.all(versions.map((v) => this.pool.load(v, true).catch((error: unknown) => this.logger.error({ versionId: v, err: error }, 'routed version failed to load'))));
    for (const versionId of before) if (!this.routed.has(versionId)) void this.pool.retire(versionId);
  }
}
