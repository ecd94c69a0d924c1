/** Messages between the training service and a local worker process (IPC over child_process.fork). */
import type { JobCheckpoint, JobFinished, JobProgress, TrainingJob } from '../launcher';

export type ToWorker = { readonly type: 'start'; readonly job: TrainingJob };

export type FromWorker =
  | ({ readonly type: 'progress' } & JobProgress)
  | ({ readonly type: 'checkpoint' } & JobCheckpoint)
  | ({ readonly type: 'finished' } & JobFinished)
  /** A failure the worker understood before exiting; `retriable: false` for deterministic ones (bad config, divergence). */
  | { readonly type: 'error'; readonly message: string; readonly code?: string; readonly retriable: boolean };
