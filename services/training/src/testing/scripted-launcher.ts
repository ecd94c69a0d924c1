/**
 * A launcher for unit tests of the run state machine: it runs nothing, records each launch,
 * and lets the test play the worker's part (progress, checkpoints, the end). Checkpoints it
 * writes are real engine checkpoints (a freshly initialised model), so completion can read them.
 */
import { Trainer } from '@crucible/engine';
import type { JobExit, LaunchHandle, LaunchListener, Launcher, TrainingJob } from '../launchers/launcher';
import { checkpointDigest } from '../launchers/local/checkpoint-digest';

export interface ScriptedAttempt {
  readonly job: TrainingJob;
  readonly listener: LaunchListener;
  end(exit: JobExit): void;
  /** Writes a real checkpoint of the job's model at step 0 and returns its directory. */
  writeCheckpoint(): string;
  /** Plays a whole successful attempt: progress for each step, a final checkpoint, exit. */
  finish(losses: readonly number[], valLoss?: number): void;
}

export class ScriptedLauncher implements Launcher {
  readonly kind = 'local' as const;
  readonly attempts: ScriptedAttempt[] = [];
  readonly cancelled: string[] = [];
  private readonly running = new Map<string, ScriptedAttempt>();

  launch(job: TrainingJob, listener: LaunchListener): LaunchHandle {
    let settle!: (exit: JobExit) => void;
    const exit = new Promise<JobExit>((resolve) => (settle = resolve));
    const attempt: ScriptedAttempt = {
      job,
      listener,
      end: (e) => {
        this.running.delete(job.runId);
        settle(e);
      },
      writeCheckpoint: () => new Trainer({ config: job.config, manifestPath: job.manifestPath, hyper: job.hyper, checkpointDir: job.checkpointDir, log: false }).checkpoint(),
      finish: (losses, valLoss) => {
        const maxSteps = losses.length;
        losses.forEach((loss, i) =>
          listener.onProgress({ step: i + 1, maxSteps, loss, lr: 1e-3, gradNorm: 0.5, tokensPerSec: 1000, mfu: 0.1, ...(i + 1 === maxSteps && valLoss !== undefined && { valLoss }) }),
        );
        const path = attempt.writeCheckpoint();
        listener.onFinished({ step: maxSteps, path, sha256: checkpointDigest(path), loss: losses.at(-1)!, ...(valLoss !== undefined && { valLoss }) });
        attempt.end({ outcome: 'finished' });
      },
    };
    this.attempts.push(attempt);
    this.running.set(job.runId, attempt);
    return { runId: job.runId, exit };
  }

  async cancel(runId: string): Promise<boolean> {
    const attempt = this.running.get(runId);
    this.cancelled.push(runId);
    attempt?.end({ outcome: 'cancelled' });
    return Boolean(attempt);
  }

  async close(): Promise<void> {
    for (const attempt of [...this.running.values()]) attempt.end({ outcome: 'stopped' });
  }
}
