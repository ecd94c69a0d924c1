/** Typed engine errors (literal `code`, `retriable`), beside the module-specific ones (ShapeError, GradientError, …). */

/** Base of the engine's errors a retry cannot fix: a literal `code`; the name is the subclass's. */
export abstract class EngineError<C extends string> extends Error {
  readonly retriable = false as const;
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type EngineConfigCode = 'MODEL_CONFIG_INVALID' | 'TRAINER_CONFIG_INVALID' | 'CHECKPOINT_MISMATCH';

/** The model, trainer options or a checkpoint do not fit together; fix the inputs, do not retry. */
export class EngineConfigError extends Error {
  readonly retriable = false as const;
  constructor(readonly code: EngineConfigCode, message: string) {
    super(message);
    this.name = 'EngineConfigError';
  }
}

/** The loss became NaN or infinite: retrying from the last checkpoint with a lower learning rate may help. */
export class TrainingDivergedError extends Error {
  readonly code = 'TRAINING_DIVERGED' as const;
  readonly retriable = true as const;
  constructor(readonly step: number, readonly loss: number) {
    super(`loss is ${loss} at step ${step}`);
    this.name = 'TrainingDivergedError';
  }
}
