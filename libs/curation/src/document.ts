/**
 * The one document shape every cleaning filter reads and writes (datatrove's `Document`:
 * text, id, metadata). `mediaType` tells the pipeline whether HTML extraction applies.
 */
export interface CurationDocument {
  readonly id: string;
  readonly text: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly mediaType?: string;
}

/** What a rejecting rule says: a stable machine reason plus the numbers that decided it. */
export interface Rejection {
  readonly reason: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** `null` means the document passes the rule. */
export type RuleVerdict = Rejection | null;

export const reject = (reason: string, details: Record<string, unknown> = {}): Rejection =>
  Object.freeze({ reason, details: Object.freeze(details) });
