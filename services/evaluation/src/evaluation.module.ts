/** The evaluation stage as a Nest module; the host (service main or `crucible up`) provides the platform. */
import { type DynamicModule, Module } from '@nestjs/common';
import { EvaluateModelService } from './evaluate-model/evaluate-model.service';
import { EVALUATION_GROUP, trainedConsumerFor } from './evaluate-model/model-trained.consumer';
import { EVALUATION_OPTIONS, type EvaluationOptions } from './evaluation.options';
import { EvaluationsHttpController } from './evaluations-http/evaluations.http.controller';

@Module({})
export class EvaluationModule {
  static forRoot(options: EvaluationOptions): DynamicModule {
    return {
      module: EvaluationModule,
      controllers: [trainedConsumerFor(options.group ?? EVALUATION_GROUP), EvaluationsHttpController],
      providers: [{ provide: EVALUATION_OPTIONS, useValue: options }, EvaluateModelService],
      exports: [EvaluateModelService],
    };
  }
}
