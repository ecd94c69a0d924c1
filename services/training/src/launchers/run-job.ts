/**
 * Runs one `TrainingJob` with the engine's Trainer and reports what happens through `report`:
 * every step, each intermediate checkpoint (with its digest), and the end with the final
 * checkpoint. Transport-free, so the local worker (IPC) and a Kubernetes pod entry (which
 * would report to the bus or the TrainingRun status) share the same training loop.
 */
import { Trainer, TrainingDivergedError, importHuggingFace } from '@crucible/engine';
import type { TrainingJob } from './launcher';
import { checkpointDigest } from './local/checkpoint-digest';
import type { FromWorker } from './local/worker-protocol';

export type Report = (message: FromWorker) => Promise<void>;

/**
 * Deterministic failures: running the same job again ends the same way. Engine errors say so
 * with `retriable: false`; divergence counts too, because a retry from the last checkpoint
 * with the same hyper-parameters diverges at the same step (the trainer is deterministic).
 */
export const isDeterministicFailure = (error: unknown): boolean =>
  (error as { retriable?: unknown }).retriable === false || error instanceof TrainingDivergedError;

export async function runTrainingJob(job: TrainingJob, report: Report): Promise<void> {
  const initialWeights = job.baseModelDir ? importHuggingFace(job.baseModelDir).weights : undefined;
  const pending: Promise<void>[] = [];
  const trainer = new Trainer({
    config: job.config,
    manifestPath: job.manifestPath,
    hyper: job.hyper,
    checkpointDir: job.checkpointDir,
    log: false,
    ...(initialWeights && { initialWeights }),
    ...(job.lora && { lora: job.lora }),
    ...(job.promptTokens && { promptTokens: job.promptTokens }),
    ...(job.executionProviders && { executionProviders: job.executionProviders }),
    onProgress: (p) => {
      pending.push(report({ type: 'progress', step: p.step, maxSteps: p.maxSteps, loss: p.loss, lr: p.lr, gradNorm: p.gradNorm, tokensPerSec: p.tokensPerSec, mfu: p.mfu, ...(p.valLoss !== undefined && { valLoss: p.valLoss }) }));
      // The last step's checkpoint is reported once, as `finished`, below.
      if (p.checkpoint && p.step < p.maxSteps) pending.push(report({ type: 'checkpoint', step: p.step, path: p.checkpoint, sha256: checkpointDigest(p.checkpoint) }));
    },
  });
  try {
    if (job.resumeFrom) trainer.load(job.resumeFrom);
    const result = await trainer.run();
    // Stopped by the epoch limit rather than maxSteps, or resumed at the very end: the end still gets a checkpoint.
    const last = result.checkpoint ?? trainer.checkpoint();
    const valLoss = result.valLoss ?? (await trainer.evaluate());
    await Promise.all(pending);
    const loss = result.losses.at(-1) ?? Number.NaN;
    await report({ type: 'finished', step: result.step, path: last, sha256: checkpointDigest(last), loss, ...(valLoss !== undefined && { valLoss }) });
  } finally {
    await trainer.close();
  }
}
