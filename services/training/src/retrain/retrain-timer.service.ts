/**
 * The retrain policy's timer: every `retrain.intervalMinutes`, the newest sealed version of each
 * dataset is checked and, when it has enough new tokens, training is requested (same
 * deterministic run id as a seal-triggered request, so the two can never both launch).
 */
import { EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { requestEventId } from '../runs/event-ids';
import { TRAINING_OPTIONS, type TrainingOptions } from '../training.options';
import { decideRetrain } from './retrain-policy';

@Injectable()
export class RetrainTimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(TRAINING_OPTIONS) private readonly options: TrainingOptions,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.options.settings.retrain.intervalMinutes;
    if (minutes === undefined) return;
    this.timer = setInterval(() => void this.tick().catch((error: unknown) => this.logger.error({ err: error }, 'retrain check failed')), minutes * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One check of every dataset's newest version; returns the run ids it requested. */
  async tick(): Promise<string[]> {
    const { catalog, settings } = this.options;
    const requested: string[] = [];
    for (const sealed of catalog.newestPerDataset()) {
      const decision = decideRetrain(settings.retrain, sealed, catalog.lastRetrain(sealed.dataset), 'timer');
      if (decision.kind !== 'train') continue;
      // Publish first, then remember: a failed publish is simply tried again on the next tick.
      await this.bus.emit(TOPICS.trainingRequested, decision.request, {
        key: decision.request.runId,
        id: requestEventId(decision.request.runId),
        lineage: { datasetId: sealed.datasetId, tokenizerId: sealed.tokenizerId, runId: decision.request.runId },
      });
      catalog.markRetrain(decision.mark);
      requested.push(decision.request.runId);
      this.logger.info({ datasetId: sealed.datasetId, runId: decision.request.runId }, 'retraining requested by the interval timer');
    }
    return requested;
  }
}
