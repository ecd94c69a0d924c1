/**
 * The trainer pod's entry point (docker/trainer-gpu.Dockerfile; the Job the operator creates
 * for a TrainingRun): `node scripts/run-ts.cjs services/training/src/pod/train-pod.ts`.
 * Reads the env (pod.config.ts), trains (run-pod.ts) and exits 0, 1 (retry from the last
 * checkpoint) or 3 (deterministic: the Job fails at once).
 */
import { EventBus } from '@crucible/bus';
import { createBus, createLogger } from '@crucible/service-kit';
import { EXIT_DETERMINISTIC, EXIT_RETRIABLE } from './exit-code';
import { loadPodConfig, type PodConfig } from './pod.config';
import { runPod } from './run-pod';

async function main(): Promise<number> {
  let config: PodConfig;
  try {
    config = loadPodConfig(process.env);
  } catch (error) {
    // No usable bus settings, so nothing can be announced; the same env fails the same way on every retry.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_DETERMINISTIC;
  }
  const logger = createLogger('training-pod', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/training');
  try {
    return await runPod(config, { bus, logger });
  } finally {
    await bus.transport.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the bus failed'));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_RETRIABLE);
  },
);
