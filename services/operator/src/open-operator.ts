/** Builds the Operator from the parsed config (kubeconfig from KUBECONFIG or in-cluster). */
import fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import type { EventBus } from '@crucible/bus';
import type { Logger } from '@crucible/service-kit';
import { type OperatorConfig, busEnvOf, identityOf } from './config';
import { BusRolloutPublisher } from './model-deployment/bus-rollout.publisher';
import { PrometheusMetricsSource, apiSliceLister, parseServiceTarget, type MetricsSource } from './model-deployment/metrics-source';
import { ServingPodDefaultsSchema, type ServingPodDefaults } from './model-deployment/serving-pod-defaults';
import { KubeApi } from './kube/kube-api';
import type { VerdictStore } from './model-deployment/rollout-ports';
import { Operator } from './operator';
import { TrainingPodDefaultsSchema } from './training-run/training-pod-defaults';

export function loadKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault(); // KUBECONFIG, ~/.kube/config, or the in-cluster ServiceAccount
  return kc;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

export function servingDefaultsOf(config: OperatorConfig): ServingPodDefaults {
  return config.OPERATOR_SERVING_DEFAULTS_FILE ? ServingPodDefaultsSchema.parse(readJson(config.OPERATOR_SERVING_DEFAULTS_FILE)) : {};
}

/** Canary metrics: fixed URLs plus every ready pod behind the configured Services (and, if asked, the versions' Services). */
export function metricsSourceOf(config: OperatorConfig, kc: k8s.KubeConfig): MetricsSource | undefined {
  const services = config.OPERATOR_METRICS_SERVICES.map(parseServiceTarget);
  if (!config.OPERATOR_METRICS_URLS.length && !services.length && !config.OPERATOR_METRICS_VERSION_SERVICES) return undefined;
  return new PrometheusMetricsSource({
    urls: config.OPERATOR_METRICS_URLS,
    services,
    versionServices: config.OPERATOR_METRICS_VERSION_SERVICES,
    slices: apiSliceLister(new KubeApi(kc)),
  });
}

export function openOperator(config: OperatorConfig, kc: k8s.KubeConfig, logger: Logger, bus?: EventBus, verdicts?: VerdictStore): Operator {
  const fromFile = config.OPERATOR_TRAINING_DEFAULTS_FILE ? TrainingPodDefaultsSchema.parse(readJson(config.OPERATOR_TRAINING_DEFAULTS_FILE)) : {};
  const metrics = metricsSourceOf(config, kc);
  const defaults = { ...fromFile, ...(fromFile.image ? {} : config.OPERATOR_TRAINER_IMAGE ? { image: config.OPERATOR_TRAINER_IMAGE } : {}) };
  return new Operator({
    kc,
    namespaces: config.OPERATOR_NAMESPACES,
    identity: identityOf(config),
    ...(config.OPERATOR_LEADER_ELECTION
      ? {
          lease: {
            namespace: config.OPERATOR_LEASE_NAMESPACE ?? config.POD_NAMESPACE,
            name: config.OPERATOR_LEASE_NAME,
            durationMs: config.OPERATOR_LEASE_DURATION_SECONDS * 1000,
            renewDeadlineMs: config.OPERATOR_RENEW_DEADLINE_SECONDS * 1000,
            retryPeriodMs: config.OPERATOR_RETRY_PERIOD_SECONDS * 1000,
          },
        }
      : {}),
    jobContext: { defaults, busEnv: busEnvOf(config) },
    routingConfigMap: config.OPERATOR_ROUTING_CONFIGMAP,
    servingDefaults: servingDefaultsOf(config),
    ...(metrics ? { metrics } : {}),
    ...(verdicts ? { verdicts } : {}),
    ...(bus ? { publisher: new BusRolloutPublisher(bus) } : {}),
    resyncMs: config.OPERATOR_RESYNC_SECONDS * 1000,
    analysisIntervalMs: config.OPERATOR_ANALYSIS_INTERVAL_SECONDS * 1000,
    workers: config.OPERATOR_WORKERS,
    logger,
  });
}
