/**
 * Which steps are worth a `training.progressed` event: every `everySteps` steps or every
 * `intervalMs`, whichever comes first, plus the first and last steps and any step that
 * measured a validation loss. Per attempt; the clock is passed in.
 */
export interface ThrottleSettings {
  readonly everySteps: number;
  readonly intervalMs: number;
}

export class ProgressThrottle {
  private lastStep: number | undefined;
  private lastAt = 0;

  constructor(private readonly settings: ThrottleSettings) {}

  due(progress: { readonly step: number; readonly maxSteps: number; readonly valLoss?: number }, nowMs: number): boolean {
    const due =
      this.lastStep === undefined ||
      progress.step >= progress.maxSteps ||
      progress.valLoss !== undefined ||
      progress.step - this.lastStep >= this.settings.everySteps ||
      nowMs - this.lastAt >= this.settings.intervalMs;
    if (due) {
      this.lastStep = progress.step;
      this.lastAt = nowMs;
    }
    return due;
  }
}
