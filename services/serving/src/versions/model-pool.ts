/**
 * The model versions in memory, each with its own batch scheduler. A version loads on first
 * use (hot-load: the others keep serving meanwhile); `retire` drains it — requests already
 * admitted finish, new ones go elsewhere — and unloads it once the last one is done.
 * Versions no route pins (an explicit `sotu@1` request) unload after an idle period.
 */
import type { TextModel } from '@crucible/model-artifact';
import type { Logger } from '@crucible/service-kit';
import { BatchScheduler, type Scheduler, type SchedulerLimits, type SchedulerObserver } from '../engine/batch-scheduler';
import type { Sequence } from '../engine/sequence';

export type VersionState = 'serving' | 'draining';

export interface LoadedVersion {
  readonly versionId: string;
  readonly model: TextModel;
  readonly scheduler: Scheduler<Sequence>;
}

export interface Lease {
  readonly version: LoadedVersion;
  /** Call once the request is over (finished, failed or cancelled). */
  release(): void;
}

export interface ModelPoolOptions {
  readonly load: (versionId: string) => Promise<TextModel>;
  readonly limits: SchedulerLimits;
  readonly observerFor?: (versionId: string) => SchedulerObserver;
  /** Runs the version's decoding (default: a BatchScheduler on this thread, over `model.generator`). */
  readonly startScheduler?: (versionId: string, model: TextModel, observer: SchedulerObserver | undefined) => Promise<Scheduler<Sequence>>;
  readonly onStateChange?: (versionId: string, state: VersionState | 'unloaded') => void;
  /** Unpinned versions with no requests for this long are unloaded. */
  readonly idleUnloadMs: number;
  readonly logger: Logger;
}

interface Entry {
  readonly ready: Promise<LoadedVersion>;
  state: VersionState;
  inFlight: number;
  pinned: boolean;
  lastUsed: number;
  drained?: () => void;
  drainedPromise?: Promise<void>;
}

export class ModelPool {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: ModelPoolOptions) {
    this.sweeper = setInterval(() => this.unloadIdle(), Math.max(1_000, Math.min(options.idleUnloadMs, 60_000)));
    this.sweeper.unref();
  }

  /** Loads a version (or returns the loaded one); `pin` keeps it until retired. */
  async load(versionId: string, pin = false): Promise<LoadedVersion> {
    let entry = this.entries.get(versionId);
    if (!entry) {
      const ready = this.open(versionId);
      entry = { ready, state: 'serving', inFlight: 0, pinned: pin, lastUsed: Date.now() };
      this.entries.set(versionId, entry);
      ready.catch(() => this.entries.delete(versionId));
    } else if (entry.state === 'draining') {
      entry.state = 'serving'; // routed to again before it drained: keep it (the retire is called off)
      entry.drained?.();
      this.options.onStateChange?.(versionId, 'serving');
    }
    entry.pinned ||= pin;
    return entry.ready;
  }

  /** Holds a version for one request: it is not unloaded before `release()`. */
  async acquire(versionId: string): Promise<Lease> {
    const version = await this.load(versionId);
    const entry = this.entries.get(versionId)!;
    entry.inFlight++;
    entry.lastUsed = Date.now();
    let released = false;
    return {
      version,
      release: () => {
        if (released) return;
        released = true;
        entry.inFlight--;
        entry.lastUsed = Date.now();
        if (entry.state === 'draining' && entry.inFlight === 0) void this.unload(versionId, entry);
      },
    };
  }

  /** Stops routing new work to a version; resolves once its in-flight requests finished and it is unloaded. */
  retire(versionId: string): Promise<void> {
    const entry = this.entries.get(versionId);
    if (!entry) return Promise.resolve();
    if (entry.state !== 'draining') {
      entry.state = 'draining';
      entry.pinned = false;
      entry.drainedPromise = new Promise<void>((resolve) => (entry.drained = resolve));
      this.options.onStateChange?.(versionId, 'draining');
      this.options.logger.info({ versionId, inFlight: entry.inFlight }, 'draining model version');
      if (entry.inFlight === 0) void this.unload(versionId, entry);
    }
    return entry.drainedPromise!;
  }

  /** Version ids in memory with their state and in-flight requests. */
  loaded(): { versionId: string; state: VersionState; inFlight: number }[] {
    return [...this.entries].map(([versionId, e]) => ({ versionId, state: e.state, inFlight: e.inFlight }));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries.keys()].map((id) => this.retire(id)));
  }

  private async open(versionId: string): Promise<LoadedVersion> {
    const started = performance.now();
    const model = await this.options.load(versionId);
    const observer = this.options.observerFor?.(versionId);
    let scheduler: Scheduler<Sequence>;
    try {
      scheduler = this.options.startScheduler
        ? await this.options.startScheduler(versionId, model, observer)
        : new BatchScheduler<Sequence>(versionId, model.generator, this.options.limits, observer);
    } catch (error) {
      await model.close();
      throw error;
    }
    this.options.logger.info({ versionId, ms: Math.round(performance.now() - started) }, 'model version loaded');
    this.options.onStateChange?.(versionId, 'serving');
    return { versionId, model, scheduler };
  }

  private async unload(versionId: string, entry: Entry): Promise<void> {
    if (this.entries.get(versionId) !== entry) return;
    this.entries.delete(versionId);
    try {
      const version = await entry.ready;
      await version.scheduler.close();
      await version.model.close();
      this.options.logger.info({ versionId }, 'model version unloaded');
    } catch (error) {
      this.options.logger.error({ versionId, err: error }, 'model version unload failed');
    } finally {
      this.options.onStateChange?.(versionId, 'unloaded');
      entry.drained?.();
    }
  }

  private unloadIdle(): void {
    const cutoff = Date.now() - this.options.idleUnloadMs;
    for (const [versionId, entry] of this.entries) {
      if (!entry.pinned && entry.state === 'serving' && entry.inFlight === 0 && entry.lastUsed < cutoff) void this.retire(versionId);
    }
  }
}
