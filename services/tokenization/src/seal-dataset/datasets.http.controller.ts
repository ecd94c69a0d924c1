/**
 * The datasets API: `GET /v1/datasets`, `GET /v1/datasets/:name/versions/:n` (the manifest),
 * `POST /v1/datasets/:name/seal` (201 with the sealed version; an `Idempotency-Key` header
 * makes retries safe: a repeated key answers 200 with the version it made).
 */
import { EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { Body, Controller, Get, Headers, Inject, Param, Post, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { InvalidVersionError } from '../datasets/dataset.errors';
import { DatasetsService } from './datasets.service';
import { DatasetsHttpErrorFilter } from './http-error.filter';
import { sealedEmitOptions, sealedEventId } from './sealed-event';

const parseVersion = (raw: string): number => {
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new InvalidVersionError(raw);
  return Number(raw);
};

@Controller('v1/datasets')
@UseFilters(DatasetsHttpErrorFilter)
export class DatasetsHttpController {
  constructor(
    private readonly datasets: DatasetsService,
    @Inject(EventBus) private readonly bus: EventBus,
  ) {}

  @Get()
  list() {
    return { datasets: this.datasets.list() };
  }

  @Get(':name/versions/:n')
  version(@Param('name') name: string, @Param('n') n: string) {
    return this.datasets.manifest(name, parseVersion(n));
  }

  @Post(':name/seal')
  async seal(
    @Param('name') name: string,
    @Body() body: { reason?: unknown } | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const sealKey = `http:${idempotencyKey ?? randomUUID()}`;
    const reason = typeof body?.reason === 'string' ? body.reason : 'manual';
    const { record, created } = await this.datasets.seal({ dataset: name, sealKey, reason, outbox: true });
    await this.bus.emit(TOPICS.datasetsSealed, record.sealed, { ...sealedEmitOptions(record), id: sealedEventId(sealKey) });
    this.datasets.announced(sealKey);
    response.status(created ? 201 : 200);
    return record.sealed;
  }
}
