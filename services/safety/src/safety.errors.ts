/** Typed safety failures: non-retriable ones go to `model.evaluated.dlq` with the reason. */
import { CrucibleError } from '@crucible/contracts';

export type SafetyErrorCode = 'invalid_probe_file' | 'artifact_unusable' | 'safety_report_not_found' | 'invalid_safety_config';

export class SafetyError extends CrucibleError<SafetyErrorCode> {
  constructor(code: SafetyErrorCode, message: string, retriable = false) {
    super(code, message, retriable);
  }
}

export class ProbeFileError extends SafetyError {
  constructor(file: string, problems: string) {
    super('invalid_probe_file', `probe file ${file}: ${problems}`);
  }
}
