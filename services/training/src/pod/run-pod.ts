/**
 * One trainer pod, as a table of contents: decode the job, pick the provider and the
 * checkpoint to resume from, train with run-job.ts while publishing to the bus, and answer
 * the exit code the operator's Job acts on (exit-code.ts). Every failure is announced on
 * `training.failed` before the pod exits.
 */
import type { EventBus } from '@crucible/bus';
import type { Lineage } from '@crucible/contracts';
import type { Logger } from '@crucible/service-kit';
import { readManifest } from '@crucible/shards';
import { hostname } from 'node:os';
import type { TrainingJob } from '../launchers/launcher';
import { isDeterministicFailure, runTrainingJob } from '../launchers/run-job';
import { latestCheckpoint } from '../runs/training-runs.service';
import { parseTrainingSettings } from '../training.config';
import { BusReporter } from './bus-reporter';
import { type CheckpointRoots, reportedAs, sharedPathOf } from './checkpoint-paths';
import { gpuVisible, podExecutionProviders } from './execution-providers';
import { EXIT_SUCCEEDED, exitCodeFor } from './exit-code';
import type { PodConfig } from './pod.config';
import { decodePodJob, runIdOf } from './pod-job';
import { resumePoint } from './resume-point';

export interface PodDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Whether the container sees a GPU; default: `/dev/nvidia<N>` exists. */
  readonly gpuVisible?: boolean;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const messageOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
};

/** datasetId and tokenizerId for the events' lineage, as the service stamps them; the run id alone when the manifest cannot be read (training will say why). */
function lineageOf(job: TrainingJob): Lineage {
  try {
    const manifest = readManifest(job.manifestPath);
    return { runId: job.runId, datasetId: manifest.datasetId, tokenizerId: manifest.tokenizer.id };
  } catch {
    return { runId: job.runId };
  }
}

export async function runPod(config: PodConfig, deps: PodDeps): Promise<number> {
  const { bus, logger } = deps;
  const podName = config.POD_NAME ?? hostname();
  const settings = parseTrainingSettings({
    ...defined({ threads: config.TRAINING_THREADS, checkpointEvery: config.TRAINING_CHECKPOINT_EVERY, evalEvery: config.TRAINING_EVAL_EVERY }),
    progress: defined({ everySteps: config.TRAINING_PROGRESS_EVERY_STEPS, intervalMs: config.TRAINING_PROGRESS_INTERVAL_MS }),
  });

  let job: TrainingJob;
  try {
    job = decodePodJob(config.CRUCIBLE_TRAINING_JOB, { settings, dataDir: config.CRUCIBLE_DATA_DIR, ...(config.CRUCIBLE_CHECKPOINT_DIR && { checkpointDir: config.CRUCIBLE_CHECKPOINT_DIR }) });
  } catch (error) {
    const runId = runIdOf(config.CRUCIBLE_TRAINING_JOB) ?? config.CRUCIBLE_RUN_ID;
    const retriable = !isDeterministicFailure(error);
    logger.error({ runId, err: error }, 'the trainer pod cannot read its job');
    if (runId) {
      const reporter = new BusReporter({ bus, runId, attempt: 1, lineage: { runId }, progress: settings.progress, logger, podName });
      await reporter.failed(messageOf(error), retriable).catch((e: unknown) => logger.error({ err: e }, 'could not publish training.failed'));
    }
    return exitCodeFor(error);
  }

  const providers = podExecutionProviders(config.TRAINING_EXECUTION_PROVIDER, job.executionProviders, deps.gpuVisible ?? gpuVisible());
  const resumeFrom = resumePoint({ ...(config.CRUCIBLE_RESUME && { resume: config.CRUCIBLE_RESUME }), root: config.CRUCIBLE_RESUME_FROM ?? job.checkpointDir, ...(job.resumeFrom && { jobResumeFrom: job.resumeFrom }) });
  const { resumeFrom: _ignored, executionProviders: _fromJob, ...rest } = job;
  job = {
    ...rest,
    ...(config.TRAINING_THREADS && { hyper: { ...job.hyper, threads: config.TRAINING_THREADS } }),
    ...(resumeFrom && { resumeFrom }),
    ...(providers && { executionProviders: providers }),
  };

  const reporter = new BusReporter({ bus, runId: job.runId, attempt: job.attempt, lineage: lineageOf(job), progress: settings.progress, logger, podName });
  // Checkpoint paths leave the pod as the services see the volume (the operator's volume layout).
  const roots: CheckpointRoots = { pod: job.checkpointDir, ...(config.CRUCIBLE_CHECKPOINT_SHARED_DIR && { shared: config.CRUCIBLE_CHECKPOINT_SHARED_DIR }) };
  logger.info({ runId: job.runId, attempt: job.attempt, pod: podName, resumeFrom, executionProviders: providers ?? ['cpu'], checkpointDir: job.checkpointDir, reportedAs: roots.shared ?? job.checkpointDir }, 'trainer pod starting');
  try {
    await runTrainingJob(job, (message) => reporter.report(reportedAs(message, roots)));
    return EXIT_SUCCEEDED;
  } catch (error) {
    const retriable = !isDeterministicFailure(error);
    logger.error({ runId: job.runId, err: error, retriable }, 'training failed');
    const last = latestCheckpoint(job.checkpointDir);
    await reporter.failed(messageOf(error), retriable, last && sharedPathOf(last, roots)).catch((e: unknown) => logger.error({ err: e }, 'could not publish training.failed'));
    return exitCodeFor(error);
  }
}
