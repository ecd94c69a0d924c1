/** The safety stage as a Nest module; the host (service main or `crucible up`) provides the platform. */
import { type DynamicModule, Module } from '@nestjs/common';
import { SAFETY_OPTIONS, type SafetyOptions } from './safety.options';
import { SafetyReportsHttpController } from './safety-reports-http/safety-reports.http.controller';
import { SAFETY_GROUP, evaluatedConsumerFor } from './test-model/model-evaluated.consumer';
import { SafetyTestService } from './test-model/safety-test.service';

@Module({})
export class SafetyModule {
  static forRoot(options: SafetyOptions): DynamicModule {
    return {
      module: SafetyModule,
      controllers: [evaluatedConsumerFor(options.group ?? SAFETY_GROUP), SafetyReportsHttpController],
      providers: [{ provide: SAFETY_OPTIONS, useValue: options }, SafetyTestService],
      exports: [SafetyTestService],
    };
  }
}
