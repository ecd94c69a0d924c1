/**
 * Publishes what run-job.ts reports to the bus, as the training service does for a local
 * worker (runs/training-runs.service.ts `listenerFor`): progress throttled with the service's
 * ProgressThrottle, each intermediate checkpoint, the final checkpoint (`final: true`, loss,
 * validation loss: what complete-run/ turns into a model version) and failures. Ids come from
 * the service's `runEventId` with the same parts, so a retried pod repeating steps, or the
 * service relaying the TrainingRun status, names each fact once.
 *
 * Events go out one at a time, in step order. A lost progress or intermediate checkpoint
 * event is logged and training goes on (the next one supersedes it); the final checkpoint
 * must reach the bus, else the pod fails retriably and the next pod, resuming from that final
 * checkpoint, announces it again under the same id.
 */
import type { EventBus } from '@crucible/bus';
import { type Lineage, TOPICS, type TrainingFailed } from '@crucible/contracts';
import type { Logger } from '@crucible/service-kit';
import type { FromWorker } from '../launchers/local/worker-protocol';
import { runEventId } from '../runs/event-ids';
import { ProgressThrottle, type ThrottleSettings } from '../runs/progress-throttle';

export interface BusReporterOptions {
  readonly bus: EventBus;
  readonly runId: string;
  readonly attempt: number;
  readonly lineage: Lineage;
  readonly progress: ThrottleSettings;
  readonly logger: Logger;
  /** Names this pod in the ids of its retriable failures (each pod of a Job fails on its own). */
  readonly podName: string;
  readonly now?: () => number;
}

export class BusReporter {
  private readonly throttle: ProgressThrottle;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: BusReporterOptions) {
    this.throttle = new ProgressThrottle(options.progress);
  }

  /** run-job.ts's `Report`. Rejects only for the final checkpoint. */
  readonly report = (message: FromWorker): Promise<void> => {
    if (message.type === 'progress' && !this.throttle.due(message, (this.options.now ?? Date.now)())) return Promise.resolve();
    const publish = this.chain.then(() => this.publish(message));
    this.chain = publish.catch((error: unknown) => {
      this.options.logger.warn({ err: error, runId: this.options.runId, event: message.type }, 'could not publish a training event; training goes on');
    });
    return message.type === 'finished' ? publish : this.chain;
  };

  private async publish(message: FromWorker): Promise<void> {
    const { bus, runId, lineage, logger } = this.options;
    const emit = { key: runId, lineage };
    switch (message.type) {
      case 'progress': {
        const p = message;
        await bus.emit(
          TOPICS.trainingProgressed,
          { runId, step: p.step, totalSteps: p.maxSteps, loss: p.loss, learningRate: p.lr, gradNorm: p.gradNorm, tokensPerSecond: p.tokensPerSec, mfu: p.mfu, ...(p.valLoss !== undefined && { validationLoss: p.valLoss }) },
          { ...emit, id: runEventId(runId, 'progressed', p.step) },
        );
        logger.info({ runId, step: p.step, totalSteps: p.maxSteps, loss: p.loss, tokensPerSecond: Math.round(p.tokensPerSec), ...(p.valLoss !== undefined && { validationLoss: p.valLoss }) }, `training ${runId} step ${p.step}/${p.maxSteps} loss ${p.loss.toFixed(4)}`);
        return;
      }
      case 'checkpoint':
        await bus.emit(TOPICS.trainingCheckpointed, { runId, step: message.step, path: message.path, sha256: message.sha256 }, { ...emit, id: runEventId(runId, 'checkpointed', message.step) });
        logger.info({ runId, step: message.step, path: message.path }, 'checkpoint published');
        return;
      case 'finished': {
        const f = message;
        await bus.emit(
          TOPICS.trainingCheckpointed,
          { runId, step: f.step, path: f.path, sha256: f.sha256, final: true, loss: f.loss, ...(f.valLoss !== undefined && { validationLoss: f.valLoss }) },
          { ...emit, id: runEventId(runId, 'checkpointed', f.step, 'final') },
        );
        logger.info({ runId, step: f.step, path: f.path, loss: f.loss, validationLoss: f.valLoss }, 'final checkpoint published');
        return;
      }
      case 'error':
        return this.failed(message.message, message.retriable);
    }
  }

  /**
   * A deterministic failure ends the run: the same fact the service announces when the
   * TrainingRun fails, so the same id (`runEventId(runId, 'failed', attempt)`). A retriable one
   * belongs to this pod only — the next pod may fail as well, and that is another fact.
   */
  async failed(reason: string, retriable: boolean, lastCheckpoint?: string): Promise<void> {
    await this.chain;
    const { bus, runId, attempt, lineage, podName } = this.options;
    const payload: TrainingFailed = { runId, reason, retriable, attempt, ...(lastCheckpoint && { lastCheckpoint }) };
    const id = retriable ? runEventId(runId, 'failed', attempt, 'pod', podName) : runEventId(runId, 'failed', attempt);
    await bus.emit(TOPICS.trainingFailed, payload, { key: runId, lineage, id });
  }
}
