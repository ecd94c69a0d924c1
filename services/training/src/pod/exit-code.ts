/**
 * The trainer pod's exit codes, as the operator's Job reads them (services/operator
 * training-job.builder.ts `podFailurePolicy`): 3 fails the Job at once, anything else non-zero
 * is retried by the Job (backoffLimit) and the next pod resumes from the last checkpoint.
 */
import { isDeterministicFailure } from '../launchers/run-job';

export const EXIT_SUCCEEDED = 0;
/** Worth another pod: a crash, a lost bus, an unreadable volume, an OOM. */
export const EXIT_RETRIABLE = 1;
/** The same job fails the same way again (bad config, divergence): the operator's DETERMINISTIC_FAILURE_EXIT_CODE. */
export const EXIT_DETERMINISTIC = 3;

export const exitCodeFor = (error: unknown): number => (isDeterministicFailure(error) ? EXIT_DETERMINISTIC : EXIT_RETRIABLE);
