/**
 * `POST /v1/feedback`: an application rates a completion it got from this gateway
 * (`requestId` = that completion's `id`); the gateway adds the version that served it and
 * publishes `serving.feedback` for the data-refresh loop. 202 with the event id.
 */
import { EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { parseModelReference } from '@crucible/registry';
import { Controller, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { authorizeModel } from '../completions/authorize';
import { versionOfCompletionId } from '../completions/response-format';
import { readJsonBody } from '../http/read-json-body';
import { OpenAiErrorFilter } from '../openai/openai-error.filter';
import { FeedbackRequestSchema } from '../openai/openai.schemas';
import { validateRequest } from '../openai/validate-request';
import { ServingRuntime } from '../serving-runtime';
import { NotFoundError } from '../serving.errors';

@Controller('v1/feedback')
@UseFilters(OpenAiErrorFilter)
export class FeedbackHttpController {
  constructor(
    @Inject(ServingRuntime) private readonly runtime: ServingRuntime,
    @Inject(EventBus) private readonly bus: EventBus,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Req() request: Request) {
    const key = authorizeModel.authenticate(this.runtime, request.headers.authorization);
    const body = validateRequest(FeedbackRequestSchema, await readJsonBody(request, this.runtime.settings.limits.maxBodyBytes));
    const modelVersionId = versionOfCompletionId(body.requestId);
    const known = modelVersionId !== undefined && (await this.runtime.router.version(modelVersionId).catch(() => undefined));
    if (!modelVersionId || !known) throw new NotFoundError(`No completion '${body.requestId}' was served by this gateway.`, 'requestId', 'completion_not_found');
    authorizeModel.scope(key, parseModelReference(modelVersionId).model);
    const event = await this.bus.emit(TOPICS.servingFeedback, { ...body, modelVersionId }, { key: body.requestId, lineage: { modelVersionId } });
    return { id: event.id, object: 'feedback', requestId: body.requestId, modelVersionId };
  }
}
