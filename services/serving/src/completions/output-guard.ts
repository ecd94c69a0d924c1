/**
 * The output guardrail on a choice's text as it is generated. Each new piece is checked
 * together with everything before it (a secret or an address can span tokens): `allow`
 * passes the piece on; `redact` passes on the redacted continuation when the text already
 * sent stays intact, and stops the choice otherwise; `block` stops it. A stopped choice ends
 * with `finish_reason: "content_filter"`, as OpenAI's own filter does.
 */
import type { Guardrail } from '@crucible/guardrails';

export type GuardVerdict = { readonly pass: string } | { readonly stop: true; readonly reasons: readonly string[] };

export class OutputGuard {
  private raw = '';
  private sent = '';

  constructor(
    private readonly guardrail: Guardrail | undefined,
    private readonly systemPrompt: string | undefined,
  ) {}

  /** What may be sent of this new piece of text. */
  next(piece: string): GuardVerdict {
    this.raw += piece;
    if (!this.guardrail) return this.send(piece);
    const decision = this.guardrail.checkOutput(this.raw, this.systemPrompt !== undefined ? { systemPrompt: this.systemPrompt } : {});
    if (decision.action === 'allow') return this.send(piece);
    if (decision.action === 'redact' && decision.text !== undefined && decision.text.startsWith(this.sent)) return this.send(decision.text.slice(this.sent.length));
    return { stop: true, reasons: decision.findings.map((f) => f.reason) };
  }

  /** Everything sent so far. */
  get text(): string {
    return this.sent;
  }

  private send(piece: string): GuardVerdict {
    this.sent += piece;
    return { pass: piece };
  }
}
