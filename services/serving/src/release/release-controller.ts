/**
 * The embedded release controller (SERVING_ROLLOUT=embedded): on `model.approved` it
 * hot-loads the approved version, starts a canary with @crucible/rollout (the approved
 * version as canary, the current champion as stable), feeds the rollout this gateway's own
 * per-version traffic on a timer, and acts on what the state machine decides — moves the
 * `champion` alias and unloads the stable version on promotion, unloads the canary on
 * rollback — emitting `rollout.started` / `rollout.promoted` / `rollout.rolled-back`.
 * On start it loads each model's current champion. Rollout state lives in memory: after a
 * restart the champion serves and an interrupted canary must be approved again.
 */
import type { EventBus, EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import type { Registry } from '@crucible/registry';
import { type RolloutEvent, type RolloutSpec, type RolloutState, advance, routes, startRollout } from '@crucible/rollout';
import type { Logger } from '@crucible/service-kit';
import type { ModelPool } from '../versions/model-pool';
import type { TrafficRoutes, WeightedRoute } from '../versions/traffic-routes';
import type { VersionRouter } from '../versions/version-router';
import type { VersionTraffic } from './version-traffic';

export const RELEASE_ACTOR = 'serving-gateway';

export interface ReleaseControllerDeps {
  readonly registry: Registry;
  readonly pool: ModelPool;
  readonly router: VersionRouter;
  readonly traffic: VersionTraffic;
  readonly bus: EventBus;
  readonly spec: RolloutSpec;
  readonly tickMs: number;
  readonly logger: Logger;
  readonly clock?: () => number;
}

export class ReleaseController implements TrafficRoutes {
  private readonly rollouts = new Map<string, RolloutState>();
  private timer: NodeJS.Timeout | undefined;
  /** One transition at a time: approvals and ticks both move rollouts. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReleaseControllerDeps) {}

  routesFor(model: string): readonly WeightedRoute[] | undefined {
    const state = this.rollouts.get(model);
    return state?.phase === 'progressing' ? routes(state) : undefined;
  }

  routedVersions(): string[] {
    return [...this.rollouts.values()].filter((s) => s.phase === 'progressing').flatMap((s) => routes(s).map((r) => r.version));
  }

  /** The rollout of a model, if one ran since start (for tests and the status endpoint). */
  rollout(model: string): RolloutState | undefined {
    return this.rollouts.get(model);
  }

  /** Loads every model's champion, then starts judging rollouts on the timer. */
  async start(): Promise<void> {
    for (const summary of await this.deps.registry.models.listModels()) {
      const champion = summary.aliases.champion;
      if (!champion) continue;
      await this.deps.pool.load(champion, true).catch((error: unknown) => this.deps.logger.error({ versionId: champion, err: error }, 'champion failed to load'));
    }
    this.timer = setInterval(() => void this.tick().catch((error: unknown) => this.deps.logger.error({ err: error }, 'rollout tick failed')), this.deps.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Handles one `model.approved` (idempotent: a redelivered approval changes nothing). */
  onApproved(event: Event<typeof TOPICS.modelApproved>, context?: EventContext): Promise<void> {
    return this.serial(() => this.approve(event, context));
  }

  /** Feeds every running rollout one observation (also what the timer does). */
  tick(): Promise<void> {
    return this.serial(async () => {
      for (const state of [...this.rollouts.values()]) {
        if (state.phase !== 'progressing') continue;
        const { traffic } = this.deps;
        const observation = {
          now: this.now(),
          canary: traffic.metrics(state.canaryVersionId),
          ...(state.stableVersionId && { stable: traffic.metrics(state.stableVersionId) }),
        };
        const next = advance(state, this.deps.spec, observation);
        this.rollouts.set(state.model, next.state);
        await this.act(next.state, next.events);
      }
    });
  }

  private async approve(event: Event<typeof TOPICS.modelApproved>, context?: EventContext): Promise<void> {
    const { modelVersionId, model, alias } = event.payload;
    const { registry, pool, router, logger } = this.deps;
    if (alias !== 'champion') {
      // Only the champion takes traffic by weight; other aliases move at once.
      await registry.models.setAlias(model, alias, modelVersionId, { by: RELEASE_ACTOR, reason: `approved (event ${event.id})` });
      router.invalidate(model);
      return;
    }
    const current = this.rollouts.get(model);
    if (current?.canaryVersionId === modelVersionId) return;
    const stableVersionId = (await registry.models.resolve(`${model}:champion`))?.id;
    if (stableVersionId === modelVersionId) return;
    if (current?.phase === 'progressing') {
      const superseded: RolloutState = { ...current, phase: 'rolled-back', canaryWeight: 0, reason: `superseded by ${modelVersionId}` };
      this.rollouts.set(model, superseded);
      await this.act(superseded, [{ type: 'rolled-back', at: this.now(), canaryWeight: 0, reason: superseded.reason! }], context);
    }
    await pool.load(modelVersionId, true); // hot-load before any traffic moves; a failure is retried by the bus
    const { state, events } = startRollout(this.deps.spec, {
      deployment: model,
      model,
      ...(stableVersionId && { stableVersionId }),
      canaryVersionId: modelVersionId,
      now: this.now(),
    });
    this.rollouts.set(model, state);
    logger.info({ model, stable: stableVersionId, canary: modelVersionId, canaryWeight: state.canaryWeight }, 'rollout started');
    await this.act(state, events, context);
  }

  /** Carries out what the state machine decided, then publishes it. */
  private async act(state: RolloutState, events: readonly RolloutEvent[], context?: EventContext): Promise<void> {
    const { registry, pool, router, bus, logger } = this.deps;
    const base = {
      deployment: state.deployment,
      model: state.model,
      ...(state.stableVersionId && { stableVersionId: state.stableVersionId }),
      canaryVersionId: state.canaryVersionId,
    };
    const emit = async <T extends typeof TOPICS.rolloutStarted | typeof TOPICS.rolloutPromoted | typeof TOPICS.rolloutRolledBack>(topic: T, payload: Event<T>['payload'], kind: string) => {
      const options = { key: state.model, id: `rollout:${state.canaryVersionId}:${kind}` };
      if (context) context.emit(topic, payload as never, options);
      else await bus.emit(topic, payload as never, options);
    };
    for (const event of events) {
      if (event.type === 'started') {
        await emit(TOPICS.rolloutStarted, { ...base, canaryWeight: event.canaryWeight }, 'started');
      } else if (event.type === 'weight-changed') {
        logger.info({ model: state.model, canary: state.canaryVersionId, canaryWeight: event.canaryWeight }, 'canary weight changed');
      } else if (event.type === 'promoted') {
        await registry.models.setAlias(state.model, 'champion', state.canaryVersionId, { by: RELEASE_ACTOR, reason: event.reason ?? 'canary promoted' });
        router.invalidate(state.model);
        logger.info({ model: state.model, champion: state.canaryVersionId, reason: event.reason }, 'canary promoted');
        await emit(TOPICS.rolloutPromoted, base, 'promoted');
        if (state.stableVersionId) void pool.retire(state.stableVersionId);
      } else {
        logger.warn({ model: state.model, canary: state.canaryVersionId, reason: event.reason }, 'canary rolled back');
        await emit(TOPICS.rolloutRolledBack, { ...base, reason: event.reason ?? 'rolled back' }, 'rolled-back');
        void pool.retire(state.canaryVersionId);
      }
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }
}
