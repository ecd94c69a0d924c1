/**
 * Way in (b): one HTTP request, one batch. Order of checks, cheapest first: Content-Type (415)
 * before reading, then the body with its byte limit (413), then syntax (400), then every
 * document (422/413). Only a request that passed all of them is published, in one call, so a
 * 4xx never leaves part of a request accepted.
 */
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { type AcceptedDocument, IngestService } from '../ingest-documents/ingest.service';
import { classifyBody, parseUpload, type Query } from './parse-upload';
import { readBody } from './read-body';

@Injectable()
export class HttpUploadService {
  constructor(private readonly ingest: IngestService) {}

  async receive(request: IncomingMessage, query: Query): Promise<AcceptedDocument[]> {
    const receivedAt = new Date();
    const header = request.headers['content-type'] ?? '';
    try {
      classifyBody(header);
    } catch (error) {
      request.resume();
      throw error;
    }
    const body = await readBody(request, this.ingest.limits.maxRequestBytes);
    const { candidates, failures } = await parseUpload(header, body, query);
    return this.ingest.acceptBatch(candidates, 'http', { failures, receivedAt });
  }
}
