/**
 * Where a run's training actually happens. The service decides *what* to train (a
 * `TrainingJob`) and a launcher runs it somewhere: a worker process on this machine
 * (`local`) or a pod on a cluster (`kubernetes`, launchers/kubernetes/). Either way the
 * launcher reports progress, checkpoints and how the run ended through one listener, so the
 * run state machine (runs/runs.service.ts) is the same for both.
 */
import type { GptConfig, HyperInput, LoraConfig } from '@crucible/engine';

/** Everything a worker needs to train one attempt of a run; plain JSON, so it travels over IPC or into a pod spec. */
export interface TrainingJob {
  readonly runId: string;
  /** 1-based; attempt n > 1 resumes from `resumeFrom`. */
  readonly attempt: number;
  readonly config: GptConfig;
  readonly manifestPath: string;
  /** Engine hyper-parameters (maxSteps, batchSize, seqLen, lr, seed, threads, checkpointEvery, evalEvery, …). */
  readonly hyper: HyperInput;
  /** `<dataDir>/runs/<runId>/checkpoints`: the engine writes `step-NNNNNNNN/` and `latest` here. */
  readonly checkpointDir: string;
  /** A checkpoint directory (or a root with `latest`) to restore exactly before training. */
  readonly resumeFrom?: string;
  /** Hugging Face layout directory whose weights initialise the model (fine-tuning). */
  readonly baseModelDir?: string;
  readonly lora?: LoraConfig;
  readonly promptTokens?: number;
  /**
   * ONNX Runtime execution providers, in preference order; absent = the worker decides (CPU in
   * a local worker, CUDA in a trainer pod that sees a GPU). CPU and CUDA losses agree to ~6e-6,
   * not bit for bit, so an attempt resumed on the other provider continues close to, not
   * exactly on, the same sequence.
   */
  readonly executionProviders?: readonly ('cpu' | 'cuda')[];
}

/** One step's numbers, as the engine's trainer reports them. */
export interface JobProgress {
  readonly step: number;
  readonly maxSteps: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly tokensPerSec: number;
  readonly mfu: number;
  readonly valLoss?: number;
}

export interface JobCheckpoint {
  readonly step: number;
  readonly path: string;
  /** sha256 over the checkpoint directory's files (checkpoint-digest.ts). */
  readonly sha256: string;
}

export interface JobFinished extends JobCheckpoint {
  /** Training loss of the last step. */
  readonly loss: number;
  readonly valLoss?: number;
}

/** How an attempt ended. `failed` carries whether running it again (from the last checkpoint) can help. */
export type JobExit =
  | { readonly outcome: 'finished' }
  | { readonly outcome: 'cancelled' }
  /** The launcher was closed (service shutdown): the run stays `running` and resumes at the next start. */
  | { readonly outcome: 'stopped' }
  | { readonly outcome: 'failed'; readonly reason: string; readonly retriable: boolean };

export interface LaunchListener {
  onProgress(progress: JobProgress): void;
  /** An intermediate checkpoint is on disk (the run can resume from it). */
  onCheckpoint(checkpoint: JobCheckpoint): void;
  /** Training reached its last step and the final checkpoint is on disk. */
  onFinished(finished: JobFinished): void;
}

export interface LaunchHandle {
  readonly runId: string;
  /** Settles once the attempt is over; never rejects (failures are a `JobExit`). */
  readonly exit: Promise<JobExit>;
}

export interface Launcher {
  readonly kind: 'local' | 'kubernetes';
  launch(job: TrainingJob, listener: LaunchListener): LaunchHandle;
  /** Stops the run's attempt if this launcher runs it; its `exit` then settles as `cancelled`. Returns whether one was running. */
  cancel(runId: string): Promise<boolean>;
  /**
   * Re-attaches to an attempt that outlived a restart of the service (a pod still running);
   * undefined when there is none, and then the service relaunches from the last checkpoint.
   * Local workers die with the service, so the local launcher does not implement it.
   */
  reattach?(job: TrainingJob, listener: LaunchListener): Promise<LaunchHandle | undefined>;
  /** Stops every attempt (service shutdown): runs stay `running` and resume on the next start. */
  close(): Promise<void>;
}
