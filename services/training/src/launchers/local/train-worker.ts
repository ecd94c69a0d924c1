/**
 * The local worker process: receives one `TrainingJob` over IPC, runs it (run-job.ts) and
 * reports over IPC. Started by LocalLauncher through scripts/run-ts.cjs.
 *
 * It exits when the service goes away (IPC disconnect), so a killed service never leaves an
 * orphan trainer competing for the cores with the one the next start launches.
 */
import { isDeterministicFailure, runTrainingJob } from '../run-job';
import type { FromWorker, ToWorker } from './worker-protocol';

const send = (message: FromWorker): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));

process.on('disconnect', () => process.exit(0));
process.once('message', (message: ToWorker) => {
  if (message.type !== 'start') return;
  runTrainingJob(message.job, send).then(
    () => process.exit(0),
    async (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      await send({ type: 'error', message: text, ...(typeof code === 'string' && { code }), retriable: !isDeterministicFailure(error) }).catch(() => undefined);
      process.exit(1);
    },
  );
});
