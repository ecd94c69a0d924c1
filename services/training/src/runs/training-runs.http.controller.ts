/**
 * The training API. `POST /v1/training-runs` checks the request as far as it can (schema,
 * dataset, model and hyper-parameters) and publishes `training.requested` (202 with the run
 * id; the run appears once the consumer has taken it, normally within a second).
 * `GET /v1/training-runs[?status=]`, `GET /v1/training-runs/:runId` (with every progress
 * record), `POST /v1/training-runs/:runId/cancel` (publishes the cancellation; 202).
 */
import { EventBus } from '@crucible/bus';
import { TOPICS, TrainingRequestedSchema } from '@crucible/contracts';
import { RUN_STATUSES, type RunStatus } from '@crucible/registry';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TrainingError } from '../training.errors';
import { cancellationEventId, requestEventId } from './event-ids';
import { TrainingHttpErrorFilter } from './http-error.filter';
import { readJsonBody } from './json-body';
import { TrainingRunsService } from './training-runs.service';

const CreateRunBodySchema = TrainingRequestedSchema.extend({ runId: TrainingRequestedSchema.shape.runId.optional() });
const CancelBodySchema = z.object({ reason: z.string().min(1).max(1_000).optional() }).strict();

const invalidBody = (error: z.ZodError) =>
  new TrainingError(
    'invalid_training_request',
    `invalid request body: ${error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
    false,
    error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message })),
  );

@Controller('v1/training-runs')
@UseFilters(TrainingHttpErrorFilter)
export class TrainingRunsHttpController {
  constructor(
    @Inject(TrainingRunsService) private readonly runs: TrainingRunsService,
    @Inject(EventBus) private readonly bus: EventBus,
  ) {}

  @Post()
  async create(@Req() httpRequest: Request, @Res({ passthrough: true }) response: Response) {
    const body = await readJsonBody(httpRequest);
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new TrainingError('invalid_body', 'the body must be a JSON object (Content-Type: application/json)');
    }
    const parsed = CreateRunBodySchema.safeParse(body);
    if (!parsed.success) throw invalidBody(parsed.error);
    const request = { ...parsed.data, runId: parsed.data.runId ?? randomUUID() };
    const existing = await this.runs.get(request.runId).catch(() => undefined);
    if (existing) {
      response.status(200);
      return { runId: request.runId, status: existing.run.status };
    }
    await this.runs.validate(request);
    await this.bus.emit(TOPICS.trainingRequested, request, { key: request.runId, id: requestEventId(request.runId), lineage: { runId: request.runId, datasetId: request.datasetId } });
    response.status(202);
    return { runId: request.runId, status: 'requested' };
  }

  @Get()
  async list(@Query('status') status: string | undefined) {
    if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) {
      throw new TrainingError('invalid_status', `status must be one of ${RUN_STATUSES.join(', ')}; got '${status}'`);
    }
    return { runs: await this.runs.list(status as RunStatus | undefined) };
  }

  @Get(':runId')
  async get(@Param('runId') runId: string) {
    const { run, progress } = await this.runs.get(runId);
    return { ...run, progress };
  }

  @Post(':runId/cancel')
  @HttpCode(202)
  async cancel(@Param('runId') runId: string, @Req() httpRequest: Request) {
    const body = await readJsonBody(httpRequest);
    const parsed = CancelBodySchema.safeParse(body ?? {});
    if (!parsed.success) throw invalidBody(parsed.error);
    const { run } = await this.runs.get(runId);
    if (run.status === 'succeeded' || run.status === 'failed') {
      throw new TrainingError('run_finished', `run ${runId} already ${run.status}; there is nothing to cancel`);
    }
    const reason = parsed.data.reason ?? 'requested over HTTP';
    await this.bus.emit(TOPICS.trainingCancellationRequested, { runId, reason }, { key: runId, id: cancellationEventId(runId), lineage: { runId } });
    return { runId, status: run.status === 'cancelled' ? 'cancelled' : 'cancelling' };
  }
}
