/**
 * Standalone entry of the operator. With the bus (default): a Nest app with health/metrics
 * endpoints and the bus consumers (model.approved, training progress, verdicts), publishing
 * rollout.*; with OPERATOR_BUS_ENABLED=false: the reconcilers only. Either way the Operator
 * reconciles only while it holds the leader Lease; losing it exits the process (the pod
 * restarts as a candidate), as client-go operators do.
 */
import { EventBus } from '@crucible/bus';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { ModelApprovedHandler } from './bus/model-approved.handler';
import { MODEL_APPROVED_HANDLER, OPERATOR_GROUP, TRAINING_PROGRESS_HANDLER, VERDICT_STORE, operatorConsumersFor } from './bus/operator-bus.controller';
import { TrainingProgressHandler } from './bus/training-progress.handler';
import { deploymentNamespaceOf, identityOf, loadOperatorConfig } from './config';
import { KubeApi } from './kube/kube-api';
import { rolloutSpecOf } from './model-deployment/rollout-status';
import { VerdictStore } from './model-deployment/rollout-ports';
import { loadKubeConfig, openOperator } from './open-operator';

async function main(): Promise<void> {
  const config = loadOperatorConfig();
  const logger = createLogger('operator', config.LOG_LEVEL);
  const kc = loadKubeConfig();

  if (!config.OPERATOR_BUS_ENABLED) {
    const operator = openOperator(config, kc, logger);
    await operator.start();
    stopOnSignals(operator, logger);
    return;
  }

  const bus = new EventBus(createBus(config, logger), 'crucible/operator');
  const verdicts = new VerdictStore();
  const operator = openOperator(config, kc, logger, bus, verdicts);
  const api = new KubeApi(kc);
  const defaultRollout = rolloutSpecOf({ spec: {} } as Parameters<typeof rolloutSpecOf>[0]);
  const rollout = config.OPERATOR_DEFAULT_ROLLOUT ?? {
    steps: defaultRollout.steps,
    stepIntervalSeconds: defaultRollout.stepIntervalMs / 1000,
    analysis: defaultRollout.analysis,
  };
  const approved = new ModelApprovedHandler({
    api,
    namespace: deploymentNamespaceOf(config),
    template: {
      rollout,
      serving: {
        image: config.OPERATOR_SERVING_IMAGE,
        replicas: config.OPERATOR_SERVING_REPLICAS,
        ...(config.OPERATOR_MODELS_CLAIM ? { modelsClaimName: config.OPERATOR_MODELS_CLAIM } : {}),
      },
    },
    logger,
  });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('operator') })],
    controllers: [operatorConsumersFor(identityOf(config))],
    providers: [
      { provide: MODEL_APPROVED_HANDLER, useValue: approved },
      { provide: TRAINING_PROGRESS_HANDLER, useValue: new TrainingProgressHandler(api, config.OPERATOR_NAMESPACES) },
      { provide: VERDICT_STORE, useValue: verdicts },
    ],
  })
  class OperatorApp {}
  const service = await runService({
    module: OperatorApp,
    bus,
    logger,
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    consumers: {
      groupOf: (group) => group.replace(OPERATOR_GROUP, config.OPERATOR_CONSUMER_GROUP),
      fromBeginning: config.OPERATOR_CONSUME_FROM_BEGINNING,
    },
  });
  await operator.start();
  stopOnSignals({ stop: async () => { await operator.stop(); await service.stop(); } }, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
