/**
 * The local worker process: receives one `TrainingJob` over IPC, runs the engine's Trainer on
 * the dataset manifest (restoring a checkpoint first when resuming), and reports progress,
 * checkpoints and the end over IPC. Started by LocalLauncher through scripts/run-ts.cjs.
 *
 * It exits when the service goes away (IPC disconnect), so a killed service never leaves an
 * orphan trainer competing for the cores with the one the next start launches.
 */
import { Trainer, TrainingDivergedError, importHuggingFace } from '@crucible/engine';
import type { TrainingJob } from '../launcher';
import { checkpointDigest } from './checkpoint-digest';
import type { FromWorker, ToWorker } from './worker-protocol';

const send = (message: FromWorker): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));

/**
 * Deterministic failures: running the same job again ends the same way. Engine errors say so
 * with `retriable: false`; divergence counts too, because a retry from the last checkpoint
 * with the same hyper-parameters diverges at the same step (the trainer is deterministic).
 */
const isDeterministic = (error: unknown): boolean =>
  (error as { retriable?: unknown }).retriable === false || error instanceof TrainingDivergedError;

async function train(job: TrainingJob): Promise<void> {
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
    onProgress: (p) => {
      pending.push(send({ type: 'progress', step: p.step, maxSteps: p.maxSteps, loss: p.loss, lr: p.lr, gradNorm: p.gradNorm, tokensPerSec: p.tokensPerSec, mfu: p.mfu, ...(p.valLoss !== undefined && { valLoss: p.valLoss }) }));
      // The last step's checkpoint is reported once, as `finished`, below.
      if (p.checkpoint && p.step < p.maxSteps) pending.push(send({ type: 'checkpoint', step: p.step, path: p.checkpoint, sha256: checkpointDigest(p.checkpoint) }));
    },
  });
  if (job.resumeFrom) trainer.load(job.resumeFrom);
  const result = await trainer.run();
  // Stopped by the epoch limit rather than maxSteps, or resumed at the end: make sure the end has a checkpoint.
  const last = result.checkpoint ?? trainer.checkpoint();
  const loss = result.losses.at(-1) ?? Number.NaN;
  const valLoss = result.valLoss ?? (await trainer.evaluate());
  await Promise.all(pending);
  await send({ type: 'finished', step: result.step, path: last, sha256: checkpointDigest(last), loss, ...(valLoss !== undefined && { valLoss }) });
  await trainer.close();
}

process.on('disconnect', () => process.exit(0));
process.once('message', (message: ToWorker) => {
  if (message.type !== 'start') return;
  train(message.job).then(
    () => process.exit(0),
    async (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      await send({ type: 'error', message: text, ...(typeof code === 'string' && { code }), retriable: !isDeterministic(error) }).catch(() => undefined);
      process.exit(1);
    },
  );
});
