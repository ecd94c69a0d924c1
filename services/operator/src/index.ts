/** @crucible/operator — the Kubernetes operator (see README.md); main.ts is the process entry. */
export { Operator, type OperatorOptions } from './operator';
export { openOperator, loadKubeConfig } from './open-operator';
export { loadOperatorConfig, OperatorConfigSchema, type OperatorConfig } from './config';
export { PrometheusMetricsSource, metricsFromSamples, type MetricsSource } from './model-deployment/metrics-source';
export { VerdictStore, type RolloutPublisher, type VerdictSource } from './model-deployment/rollout-ports';
export { BusRolloutPublisher } from './model-deployment/bus-rollout.publisher';
