/** The training stage as a Nest module; the host (service main or `crucible up`) provides the platform. */
import { type DynamicModule, Module } from '@nestjs/common';
import { CompleteRunService } from './complete-run/complete-run.service';
import { finalCheckpointConsumerFor } from './complete-run/final-checkpoint.consumer';
import { datasetsSealedConsumerFor } from './retrain/datasets-sealed.consumer';
import { RetrainTimerService } from './retrain/retrain-timer.service';
import { cancellationConsumerFor } from './runs/cancellation.consumer';
import { TRAINING_GROUP, trainingRequestsConsumerFor } from './runs/training-requests.consumer';
import { TrainingRunsHttpController } from './runs/training-runs.http.controller';
import { TrainingRunsService } from './runs/training-runs.service';
import { TRAINING_OPTIONS, type TrainingOptions } from './training.options';

@Module({})
export class TrainingModule {
  static forRoot(options: TrainingOptions): DynamicModule {
    const group = options.group ?? TRAINING_GROUP;
    return {
      module: TrainingModule,
      controllers: [
        datasetsSealedConsumerFor(group),
        trainingRequestsConsumerFor(group),
        cancellationConsumerFor(group),
        finalCheckpointConsumerFor(group),
        TrainingRunsHttpController,
      ],
      providers: [{ provide: TRAINING_OPTIONS, useValue: options }, TrainingRunsService, CompleteRunService, RetrainTimerService],
      exports: [TrainingRunsService, RetrainTimerService],
    };
  }
}
