import { CrucibleError } from '@crucible/contracts';

export type ArtifactErrorCode = 'artifact_unreadable' | 'artifact_invalid' | 'prompt_too_long';

/** A model directory or a request that can't be used as it is: retrying the same event can't help. */
export class ArtifactError extends CrucibleError<ArtifactErrorCode> {
  constructor(code: ArtifactErrorCode, message: string) {
    super(code, message, false);
  }
}
