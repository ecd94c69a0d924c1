/**
 * OpenAI `stop` strings on streamed text: the completion ends before the first stop string
 * and never contains it, so text that might be the start of a stop string is held back
 * until the next tokens show whether it is one.
 */
export interface StopScan {
  /** Text safe to emit now (after what was already emitted). */
  readonly emit: string;
  /** Set when a stop string was found: the text ends before it. */
  readonly stopped: boolean;
}

export class StopText {
  private text = '';
  private emitted = 0;

  constructor(private readonly stops: readonly string[]) {}

  /** Appends decoded text and returns what can be emitted. */
  push(delta: string): StopScan {
    this.text += delta;
    // A stop string may straddle the boundary between held-back text and the new delta.
    const searchFrom = Math.max(0, this.emitted - this.longestStop() + 1);
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, searchFrom);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.text = this.text.slice(0, cut);
      return { emit: this.take(cut), stopped: true };
    }
    return { emit: this.take(this.text.length - this.heldBack()), stopped: false };
  }

  /** Everything not yet emitted (the generation ended without a stop string). */
  flush(): string {
    return this.take(this.text.length);
  }

  get full(): string {
    return this.text;
  }

  private take(upTo: number): string {
    if (upTo <= this.emitted) return '';
    const out = this.text.slice(this.emitted, upTo);
    this.emitted = upTo;
    return out;
  }

  /** Length of the longest suffix of the text that is a proper prefix of some stop string. */
  private heldBack(): number {
    let keep = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length); k > keep; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          keep = k;
          break;
        }
      }
    }
    return keep;
  }

  private longestStop(): number {
    return this.stops.reduce((m, s) => Math.max(m, s.length), 1);
  }
}
