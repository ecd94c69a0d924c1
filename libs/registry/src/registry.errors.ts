/** Typed registry failures: callers switch on `code`; the bus reads `retriable`. */
import { CrucibleError } from '@crucible/contracts';

export type RegistryErrorCode =
  | 'unknown_model_version'
  | 'unknown_run'
  | 'version_conflict'
  | 'invalid_reference'
  | 'invalid_registry_url'
  | 'migration_failed';

export class RegistryError extends CrucibleError<RegistryErrorCode> {
  constructor(code: RegistryErrorCode, message: string, retriable = false) {
    super(code, message, retriable);
  }
}

export const unknownVersion = (ref: string): RegistryError =>
  new RegistryError('unknown_model_version', `no model version matches '${ref}'`);

/**
 * Progress or a status change can reach the registry before the run's `training.requested`
 * did (separate topics, separate consumers): retriable, so the bus tries again later.
 */
export const unknownRun = (runId: string): RegistryError =>
  new RegistryError('unknown_run', `no training run '${runId}'`, true);
