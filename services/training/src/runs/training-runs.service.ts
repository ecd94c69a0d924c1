/**
 * The run state machine: accepts requests, launches attempts, forwards what the worker
 * reports (progress throttled, checkpoints) to the registry and the bus, retries failed
 * attempts from the last checkpoint, cancels, and on start resumes the runs a previous
 * process left `running`. Completion (the final checkpoint → model version) is
 * complete-run/, driven by the final `training.checkpointed` event.
 */
import { EventBus } from '@crucible/bus';
import { type DatasetSealed, type Lineage, TOPICS, type TrainingFailed, type TrainingProgressed, type TrainingRequested, TrainingRequestedSchema } from '@crucible/contracts';
import type { Run, RunProgress, RunStatus } from '@crucible/registry';
import { LOGGER, METRICS, type Logger, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetNameOf, resolveDataset } from '../datasets/resolve-dataset';
import type { JobCheckpoint, JobExit, JobFinished, JobProgress, LaunchListener, TrainingJob } from '../launchers/launcher';
import { TrainingError, runNotFound } from '../training.errors';
import { TRAINING_OPTIONS, type TrainingOptions } from '../training.options';
import { attemptOutcome } from './attempt-outcome';
import { runEventId } from './event-ids';
import { type BaseModel, checkpointRoot, jobSpec } from './job-spec';
import { ProgressThrottle } from './progress-throttle';

export type Acceptance =
  | { readonly kind: 'started'; readonly run: Run }
  /** Recorded; it starts when a running run ends (settings.maxConcurrentRuns). */
  | { readonly kind: 'queued'; readonly run: Run }
  | { readonly kind: 'duplicate'; readonly run: Run }
  /** The request can never run (unknown dataset, invalid config): the run is recorded `failed` and this is announced. */
  | { readonly kind: 'rejected'; readonly failed: TrainingFailed };

/** Codes of a request refused before launch; a redelivered refused request announces the same refusal again. */
const REFUSALS = ['dataset_not_found', 'invalid_training_request', 'base_model_not_found'];

interface ActiveRun {
  readonly request: TrainingRequested;
  readonly dataset: DatasetSealed;
  readonly base: BaseModel | undefined;
  readonly job: TrainingJob;
  readonly throttle: ProgressThrottle;
  readonly lineage: Lineage;
  /** Serialises everything the run publishes and records, so the bus sees steps in order. */
  chain: Promise<void>;
  cancelled: boolean;
}

/** The newest checkpoint under a run's checkpoint root (the engine keeps a `latest` pointer). */
export function latestCheckpoint(root: string): string | undefined {
  const pointer = join(root, 'latest');
  return existsSync(pointer) ? join(root, readFileSync(pointer, 'utf8').trim()) : undefined;
}

@Injectable()
export class TrainingRunsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly active = new Map<string, ActiveRun>();
  private closing = false;
  private scheduling: Promise<void> = Promise.resolve();
  /** Settles when the runs of a previous process have been resumed (tests wait on it). */
  recovered: Promise<void> = Promise.resolve();

  constructor(
    @Inject(TRAINING_OPTIONS) private readonly options: TrainingOptions,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  private get meters() {
    return {
      attempts: this.metrics.counter('crucible_training_attempts_total', 'Training attempts that ended, by how', ['outcome']),
      active: this.metrics.gauge('crucible_training_active_runs', 'Runs with an attempt running in this process'),
      steps: this.metrics.counter('crucible_training_steps_total', 'Optimizer steps reported by workers (resumed steps count again)'),
    };
  }

  onApplicationBootstrap(): void {
    this.recovered = this.resumeInterrupted().catch((error: unknown) => this.logger.error({ err: error }, 'resuming interrupted runs failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.options.launcher.close();
    await Promise.all([...this.active.values()].map((a) => a.chain));
  }

  private get registry() {
    return this.options.registry;
  }

  /** Checks a request as far as possible without running it; throws the TrainingError it would fail with. */
  async validate(request: TrainingRequested): Promise<{ dataset: DatasetSealed; job: TrainingJob }> {
    const dataset = resolveDataset(this.options.catalog, this.options.datasetsDir, request.datasetId);
    const base = await this.resolveBase(request);
    return { dataset, job: jobSpec({ request, dataset, settings: this.options.settings, dataDir: this.options.dataDir, ...(base && { base }) }) };
  }

  async accept(request: TrainingRequested): Promise<Acceptance> {
    const existing = await this.registry.runs.get(request.runId);
    if (existing) {
      const refusal = existing.status === 'failed' && existing.error && REFUSALS.some((code) => existing.error!.startsWith(`${code}:`));
      if (refusal) return { kind: 'rejected', failed: { runId: existing.runId, reason: existing.error!, retriable: false, attempt: 1 } };
      // A queued run nobody is launching (the launch itself failed last time) is started; anything else is a redelivery.
      if (existing.status !== 'queued' || this.active.has(request.runId)) return { kind: 'duplicate', run: existing };
    }
    let prepared: { dataset: DatasetSealed; base: BaseModel | undefined };
    try {
      const dataset = resolveDataset(this.options.catalog, this.options.datasetsDir, request.datasetId);
      const base = await this.resolveBase(request);
      jobSpec({ request, dataset, settings: this.options.settings, dataDir: this.options.dataDir, ...(base && { base }) });
      prepared = { dataset, base };
    } catch (error) {
      if (!(error instanceof TrainingError) || error.retriable) throw error;
      const reason = `${error.code}: ${error.message}`;
      await this.registry.runs.create({ runId: request.runId, model: request.model ?? datasetNameOf(request.datasetId), datasetId: request.datasetId, request });
      await this.registry.runs.update(request.runId, { status: 'failed', error: reason });
      this.logger.warn({ runId: request.runId, reason }, 'training request refused');
      return { kind: 'rejected', failed: { runId: request.runId, reason, retriable: false, attempt: 1 } };
    }
    await this.registry.runs.create({ runId: request.runId, model: request.model ?? prepared.dataset.dataset, datasetId: request.datasetId, request });
    await this.schedule();
    const run = (await this.registry.runs.get(request.runId))!;
    return { kind: this.active.has(request.runId) ? 'started' : 'queued', run };
  }

  /** Starts queued runs, oldest first, while fewer than maxConcurrentRuns are active. One pass at a time. */
  schedule(): Promise<void> {
    this.scheduling = this.scheduling.then(async () => {
      if (this.closing) return;
      const capacity = this.options.settings.maxConcurrentRuns;
      if (this.active.size >= capacity) return;
      const queued = (await this.registry.runs.list({ status: 'queued', limit: 10_000 })).reverse();
      for (const run of queued) {
        if (this.active.size >= capacity || this.closing) return;
        if (!this.active.has(run.runId)) await this.resumeRun(run);
      }
    }).catch((error: unknown) => this.logger.error({ err: error }, 'starting queued training runs failed'));
    return this.scheduling;
  }

  /**
   * Marks the run cancelled, then stops its attempt. Idempotent; a run that already ended is
   * left as it is (`run_finished`).
   */
  async cancel(runId: string, reason: string): Promise<Run> {
    const run = await this.registry.runs.get(runId);
    if (!run) throw runNotFound(runId);
    if (run.status === 'cancelled') return run;
    if (run.status === 'succeeded' || run.status === 'failed') {
      throw new TrainingError('run_finished', `run ${runId} already ${run.status}; there is nothing to cancel`);
    }
    const active = this.active.get(runId);
    if (active) active.cancelled = true;
    const updated = await this.registry.runs.update(runId, { status: 'cancelled', error: `cancelled: ${reason}` });
    await this.options.launcher.cancel(runId);
    this.logger.info({ runId, reason }, 'training run cancelled');
    return updated;
  }

  async get(runId: string): Promise<{ run: Run; progress: RunProgress[] }> {
    const run = await this.registry.runs.get(runId);
    if (!run) throw runNotFound(runId);
    return { run, progress: await this.registry.runs.progress(runId) };
  }

  list(status?: RunStatus): Promise<Run[]> {
    return this.registry.runs.list(status ? { status } : {});
  }

  /** Whether this process runs an attempt of the run right now. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /**
   * Runs left `running` by a previous process are re-attached where the launcher can, else
   * resumed from their last checkpoint; then queued runs start as capacity allows.
   */
  async resumeInterrupted(): Promise<void> {
    for (const run of await this.registry.runs.list({ status: 'running', limit: 10_000 })) {
      if (this.active.has(run.runId) || this.closing) continue;
      await this.resumeRun(run);
    }
    await this.schedule();
  }

  private async resumeRun(run: Run): Promise<void> {
    const request = TrainingRequestedSchema.parse(run.request);
    try {
      const dataset = resolveDataset(this.options.catalog, this.options.datasetsDir, request.datasetId);
      const base = await this.resolveBase(request);
      const resumeFrom = latestCheckpoint(checkpointRoot(this.options.dataDir, run.runId));
      if (run.status === 'running') this.logger.info({ runId: run.runId, attempt: run.attempt, resumeFrom }, 'resuming an interrupted training run');
      await this.startAttempt(request, dataset, base, run.attempt, resumeFrom, run.status === 'running');
    } catch (error) {
      const reason = error instanceof TrainingError ? `${error.code}: ${error.message}` : `could not start: ${error instanceof Error ? error.message : String(error)}`;
      await this.fail(run.runId, run.attempt, reason, { runId: run.runId, datasetId: run.datasetId });
    }
  }

  private async resolveBase(request: TrainingRequested): Promise<BaseModel | undefined> {
    if (!request.baseModelVersionId) return undefined;
    const version = await this.registry.models.resolve(request.baseModelVersionId).catch(() => undefined);
    if (!version) throw new TrainingError('base_model_not_found', `base model ${request.baseModelVersionId} is not a registered model version`);
    return { versionId: version.id, artifactPath: version.artifactPath, tokenizerId: version.tokenizerId };
  }

  private async startAttempt(request: TrainingRequested, dataset: DatasetSealed, base: BaseModel | undefined, attempt: number, resumeFrom: string | undefined, reattach = false): Promise<Run> {
    const job = jobSpec({ request, dataset, settings: this.options.settings, dataDir: this.options.dataDir, ...(base && { base }) }, attempt, resumeFrom);
    const run = await this.registry.runs.update(request.runId, { status: 'running', attempt });
    const state: ActiveRun = {
      request,
      dataset,
      base,
      job,
      throttle: new ProgressThrottle(this.options.settings.progress),
      lineage: { runId: request.runId, datasetId: dataset.datasetId, tokenizerId: dataset.tokenizerId },
      chain: Promise.resolve(),
      cancelled: false,
    };
    this.active.set(request.runId, state);
    this.meters.active.set(this.active.size);
    const listener = this.listenerFor(state);
    const launcher = this.options.launcher;
    const handle = (reattach && (await launcher.reattach?.(job, listener))) || launcher.launch(job, listener);
    void handle.exit.then((exit) => this.enqueue(state, () => this.onExit(state, exit)));
    this.logger.info({ runId: request.runId, attempt, resumeFrom, launcher: launcher.kind }, 'training attempt launched');
    return run;
  }

  private enqueue(state: ActiveRun, work: () => Promise<void>): Promise<void> {
    state.chain = state.chain.then(work).catch((error: unknown) => this.logger.error({ err: error, runId: state.request.runId }, 'recording training progress failed'));
    return state.chain;
  }

  private listenerFor(state: ActiveRun): LaunchListener {
    const runId = state.request.runId;
    const now = this.options.now ?? Date.now;
    return {
      onProgress: (p: JobProgress) => {
        this.meters.steps.inc();
        if (!state.throttle.due(p, now())) return;
        const payload: TrainingProgressed = {
          runId,
          step: p.step,
          totalSteps: p.maxSteps,
          loss: p.loss,
          learningRate: p.lr,
          gradNorm: p.gradNorm,
          tokensPerSecond: p.tokensPerSec,
          mfu: p.mfu,
          ...(p.valLoss !== undefined && { validationLoss: p.valLoss }),
        };
        this.logger.info(
          { runId, step: p.step, totalSteps: p.maxSteps, loss: p.loss, lr: p.lr, gradNorm: p.gradNorm, tokensPerSecond: Math.round(p.tokensPerSec), mfu: p.mfu, ...(p.valLoss !== undefined && { validationLoss: p.valLoss }) },
          `training ${runId} step ${p.step}/${p.maxSteps} loss ${p.loss.toFixed(4)}`,
        );
        this.options.onProgress?.(payload);
        void this.enqueue(state, async () => {
          await this.registry.runs.appendProgress(runId, payload);
          await this.bus.emit(TOPICS.trainingProgressed, payload, { key: runId, id: runEventId(runId, 'progressed', p.step), lineage: state.lineage });
        });
      },
      onCheckpoint: (c: JobCheckpoint) => {
        void this.enqueue(state, async () => {
          await this.registry.runs.update(runId, { lastCheckpoint: c.path });
          await this.bus.emit(TOPICS.trainingCheckpointed, { runId, step: c.step, path: c.path, sha256: c.sha256 }, { key: runId, id: runEventId(runId, 'checkpointed', c.step), lineage: state.lineage });
        });
      },
      onFinished: (f: JobFinished) => {
        void this.enqueue(state, async () => {
          await this.registry.runs.update(runId, { lastCheckpoint: f.path, step: f.step });
          // The completion consumer turns this into a model version (complete-run/).
          await this.bus.emit(
            TOPICS.trainingCheckpointed,
            { runId, step: f.step, path: f.path, sha256: f.sha256, final: true, loss: f.loss, ...(f.valLoss !== undefined && { validationLoss: f.valLoss }) },
            { key: runId, id: runEventId(runId, 'checkpointed', f.step, 'final'), lineage: state.lineage },
          );
        });
      },
    };
  }

  private async onExit(state: ActiveRun, exit: JobExit): Promise<void> {
    const { runId } = state.request;
    if (this.active.get(runId) === state) this.active.delete(runId);
    this.meters.active.set(this.active.size);
    this.meters.attempts.inc({ outcome: exit.outcome });
    const attempt = state.job.attempt;
    const outcome = state.cancelled ? ({ kind: 'cancelled' } as const) : attemptOutcome(exit, attempt, this.options.settings.maxAttempts);
    this.logger.info({ runId, attempt, exit, outcome: outcome.kind }, 'training attempt ended');
    switch (outcome.kind) {
      case 'detached':
        return;
      case 'await-completion':
        await this.schedule();
        return;
      case 'cancelled':
        await this.registry.runs.update(runId, { status: 'cancelled' });
        await this.schedule();
        return;
      case 'fail':
        await this.fail(runId, attempt, outcome.reason, state.lineage);
        await this.schedule();
        return;
      case 'retry': {
        const lastCheckpoint = latestCheckpoint(state.job.checkpointDir);
        const failed: TrainingFailed = { runId, reason: outcome.reason, retriable: true, attempt, ...(lastCheckpoint && { lastCheckpoint }) };
        await this.registry.runs.update(runId, { error: `attempt ${attempt}: ${outcome.reason}` });
        await this.bus.emit(TOPICS.trainingFailed, failed, { key: runId, id: runEventId(runId, 'failed', attempt), lineage: state.lineage });
        // Shutting down, or cancelled between the exit and now: no new attempt.
        if (this.closing) return;
        if ((await this.registry.runs.get(runId))?.status !== 'running') return void (await this.schedule());
        this.logger.warn({ runId, attempt, nextAttempt: outcome.nextAttempt, lastCheckpoint }, 'retrying training run from its last checkpoint');
        try {
          await this.startAttempt(state.request, state.dataset, state.base, outcome.nextAttempt, lastCheckpoint);
        } catch (error) {
          await this.fail(runId, outcome.nextAttempt, `could not start attempt ${outcome.nextAttempt}: ${error instanceof Error ? error.message : String(error)}`, state.lineage);
        }
        return;
      }
    }
  }

  private async fail(runId: string, attempt: number, reason: string, lineage: Lineage): Promise<void> {
    const lastCheckpoint = latestCheckpoint(checkpointRoot(this.options.dataDir, runId));
    await this.registry.runs.update(runId, { status: 'failed', error: reason });
    const failed: TrainingFailed = { runId, reason, retriable: false, attempt, ...(lastCheckpoint && { lastCheckpoint }) };
    await this.bus.emit(TOPICS.trainingFailed, failed, { key: runId, id: runEventId(runId, 'failed', attempt), lineage });
    this.logger.error({ runId, attempt, reason }, 'training run failed');
  }
}
