/**
 * The output guardrail on a choice's text as it is generated, in chunks (as NeMo Guardrails'
 * streaming output rails do): the first piece is checked at once (time to first token stays
 * short), then the text is held back and checked every `chunkTokens` tokens and at the end —
 * one check costs about as much for 20 characters as for 2,000, so checking every token
 * would dominate a batch's step. Each check sees everything so far (a secret or an address
 * can span tokens): `allow` releases the held text; `redact` releases the redacted
 * continuation when the text already sent stays intact, and stops the choice otherwise;
 * `block` stops it. A stopped choice ends with `finish_reason: "content_filter"`.
 */
import type { Guardrail } from '@crucible/guardrails';

export type GuardVerdict = { readonly pass: string } | { readonly stop: true; readonly reasons: readonly string[] };

export class OutputGuard {
  private raw = '';
  private sent = '';
  private held = '';
  private heldTokens = 0;
  private checks = 0;

  constructor(
    private readonly guardrail: Guardrail | undefined,
    private readonly systemPrompt: string | undefined,
    /** Tokens between checks; Infinity checks only at the end (non-streaming answers). */
    private readonly chunkTokens: number,
  ) {}

  /** A new piece of text (one token's worth); returns what may be sent now. */
  next(piece: string): GuardVerdict {
    this.raw += piece;
    this.held += piece;
    this.heldTokens++;
    if (!this.guardrail) return this.release(this.held);
    if (this.checks > 0 && this.heldTokens < this.chunkTokens) return { pass: '' };
    return this.check();
  }

  /** The generation ended: checks and releases whatever is held. */
  end(): GuardVerdict {
    if (this.held === '') return { pass: '' };
    return this.guardrail ? this.check() : this.release(this.held);
  }

  /** Everything sent so far. */
  get text(): string {
    return this.sent;
  }

  private check(): GuardVerdict {
    this.checks++;
    const decision = this.guardrail!.checkOutput(this.raw, this.systemPrompt !== undefined ? { systemPrompt: this.systemPrompt } : {});
    if (decision.action === 'allow') return this.release(this.held);
    if (decision.action === 'redact' && decision.text !== undefined && decision.text.startsWith(this.sent)) return this.release(decision.text.slice(this.sent.length));
    return { stop: true, reasons: decision.findings.map((f) => f.reason) };
  }

  private release(piece: string): GuardVerdict {
    this.sent += piece;
    this.held = '';
    this.heldTokens = 0;
    return { pass: piece };
  }
}
