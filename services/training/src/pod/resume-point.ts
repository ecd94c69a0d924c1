/**
 * Which checkpoint a trainer pod restores before training. The operator starts every pod of a
 * run's Job with CRUCIBLE_RESUME=latest and CRUCIBLE_RESUME_FROM = the checkpoint directory on
 * the shared volume, so pod n+1 continues where pod n last checkpointed; the first pod finds
 * no `latest` there and starts from scratch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { latestCheckpoint } from '../runs/training-runs.service';

export interface ResumeInput {
  /** CRUCIBLE_RESUME: `latest` restores the newest checkpoint under `root`, when there is one. */
  readonly resume?: 'latest' | 'none';
  /** CRUCIBLE_RESUME_FROM, else the job's checkpoint directory. */
  readonly root: string;
  /** The job's own resume point (the service's attempt n > 1). */
  readonly jobResumeFrom?: string;
}

const isCheckpoint = (dir: string): boolean => existsSync(join(dir, 'trainer-state.json'));

export function resumePoint(input: ResumeInput): string | undefined {
  if (input.resume === 'none') return undefined;
  const newest = input.resume === 'latest' ? latestCheckpoint(input.root) : undefined;
  if (newest) return newest;
  // The operator sets the job's resumeFrom to the (possibly still empty) checkpoint root: only a real checkpoint counts.
  if (input.jobResumeFrom && (isCheckpoint(input.jobResumeFrom) || latestCheckpoint(input.jobResumeFrom))) return input.jobResumeFrom;
  return undefined;
}
