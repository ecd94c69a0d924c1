/** Size limits of the ingestion stage, each with the reason for its default. */
export interface IngestionLimits {
  /**
   * Largest document, in UTF-8 bytes of its normalised content. Default 512 KiB: the ingested
   * event carries the text and Kafka's default `message.max.bytes` is 1 MiB, which leaves room
   * for the envelope and for JSON escaping.
   */
  readonly maxDocumentBytes: number;
  /**
   * Largest HTTP request body (after Content-Encoding is undone). Default 16 MiB: a batch of
   * dozens of large documents, small enough that a request is buffered safely in memory.
   */
  readonly maxRequestBytes: number;
}

export const DEFAULT_LIMITS: IngestionLimits = Object.freeze({ maxDocumentBytes: 512 * 1024, maxRequestBytes: 16 * 1024 * 1024 });
