/**
 * Loss-spike detection: a step's loss is a spike when it exceeds the mean of the recent
 * window by more than `sigmas` standard deviations (and by an absolute floor, so a flat
 * converged loss does not flag noise). Reported in progress; the trainer does not act on it.
 */

export class LossSpikeDetector {
  private readonly recent: number[] = [];

  constructor(private readonly window = 50, private readonly sigmas = 4, private readonly floor = 0.1, private readonly warmup = 20) {}

  /** Records `loss`; true when it is a spike against the losses before it. */
  observe(loss: number): boolean {
    let spike = false;
    if (this.recent.length >= this.warmup) {
      const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
      const std = Math.sqrt(this.recent.reduce((a, b) => a + (b - mean) ** 2, 0) / this.recent.length);
      spike = loss > mean + Math.max(this.sigmas * std, this.floor);
    }
    this.recent.push(loss);
    if (this.recent.length > this.window) this.recent.shift();
    return spike;
  }
}
