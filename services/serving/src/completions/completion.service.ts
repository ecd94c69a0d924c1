/**
 * One path for `/v1/completions` and `/v1/chat/completions`: authenticate, read and validate
 * the body, check the key's scope, guard the input, resolve the version, plan the choices,
 * reserve rate-limit tokens, queue the choices on the version's scheduler, then answer as
 * JSON or as server-sent events. A client that disconnects cancels its choices (their rows
 * leave the batch at the next step). Prompts and completions reach the log only with
 * SERVING_LOG_CONTENT=true.
 */
import { LOGGER, type Logger } from '@crucible/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKey } from '../auth/api-keys';
import type { Reservation } from '../auth/rate-limiter';
import { type FinishReason, Sequence } from '../engine/sequence';
import { readJsonBody } from '../http/read-json-body';
import type { HotRoute } from '../http/hot-routes';
import { sendJson } from '../http/send-json';
import { sendError, toServingError } from '../openai/openai-error.filter';
import { ChatCompletionRequestSchema, CompletionRequestSchema } from '../openai/openai.schemas';
import { validateRequest } from '../openai/validate-request';
import { ServingRuntime } from '../serving-runtime';
import { ContentPolicyError, QueueFullError, type ServingError } from '../serving.errors';
import type { Lease } from '../versions/model-pool';
import { authorizeModel } from './authorize';
import { type GenerationPlan, type ValidatedRequest, chatTurns, planGeneration } from './generation-plan';
import { OutputGuard } from './output-guard';
import { type ClientFinishReason, type Endpoint, type ResponseHead, chunkBody, completionId, responseBody, usageChunk, usageOf } from './response-format';

interface ChoiceState {
  readonly guard: OutputGuard;
  finish: ClientFinishReason | undefined;
  tokens: number;
  sequence?: Sequence;
}

@Injectable()
export class CompletionService {
  constructor(
    @Inject(ServingRuntime) private readonly runtime: ServingRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The handler of one endpoint on node:http (http/hot-routes.ts); nothing it throws escapes unanswered. */
  route(endpoint: Endpoint): HotRoute {
    return (request, response) =>
      void this.handle(endpoint, request, response).catch((error: unknown) => {
        this.logger.error({ err: error }, 'completion failed');
        if (!response.writableEnded) response.destroy();
      });
  }

  async handle(endpoint: Endpoint, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrived = performance.now();
    let versionId = 'none';
    try {
      const key = authorizeModel.authenticate(this.runtime, request.headers.authorization);
      const body = await readJsonBody(request, this.runtime.settings.limits.maxBodyBytes);
      const validated: ValidatedRequest =
        endpoint === 'chat' ? { endpoint, body: validateRequest(ChatCompletionRequestSchema, body) } : { endpoint, body: validateRequest(CompletionRequestSchema, body) };
      authorizeModel.scope(key, validated.body.model);
      const prompts = this.guardInput(validated);
      const resolved = await this.runtime.router.resolve(validated.body.model);
      versionId = resolved.versionId;
      const lease = await this.runtime.pool.acquire(versionId);
      await this.generate(endpoint, validated, prompts, lease, key, response, arrived);
    } catch (error) {
      const refused = toServingError(error);
      if (refused.status >= 500) this.logger.error({ err: error, model_version: versionId }, 'completion failed');
      this.countError(refused, versionId, endpoint, arrived);
      sendError(response, refused);
    }
  }

  /** The input guardrail: blocked requests get 400 content_policy_violation; redacted ones go on redacted. */
  private guardInput(request: ValidatedRequest): string[] | ChatTurnsMarker {
    const guardrail = this.runtime.guardrail;
    if (request.endpoint === 'chat') {
      const turns = chatTurns(request.body);
      if (!guardrail) return { turns };
      const decision = guardrail.checkInput(turns);
      if (decision.action === 'block') throw new ContentPolicyError(decision.findings.map((f) => f.reason));
      if (decision.action === 'redact' && decision.messages) return { turns: turns.map((t, i) => ({ ...t, content: decision.messages![i]?.content ?? t.content })) };
      return { turns };
    }
    const prompts = typeof request.body.prompt === 'string' ? [request.body.prompt] : request.body.prompt;
    if (!guardrail) return prompts;
    return prompts.map((prompt) => {
      const decision = guardrail.checkInput(prompt);
      if (decision.action === 'block') throw new ContentPolicyError(decision.findings.map((f) => f.reason));
      return decision.action === 'redact' && decision.text !== undefined ? decision.text : prompt;
    });
  }

  private async generate(
    endpoint: Endpoint,
    request: ValidatedRequest,
    input: string[] | ChatTurnsMarker,
    lease: Lease,
    key: ApiKey | undefined,
    response: ServerResponse,
    arrived: number,
  ): Promise<void> {
    const { version } = lease;
    const { runtime } = this;
    let reservation: Reservation | undefined;
    let plan: GenerationPlan;
    try {
      const model = version.model;
      const prompts = Array.isArray(input) ? input : [model.renderChat(input.turns)];
      plan = planGeneration(request, model, runtime.settings, prompts);
      if (key) reservation = runtime.limiter.reserve(key.id, key, plan.reservedTokens);
      if (version.scheduler.queued + plan.sequences.length > runtime.settings.limits.maxQueue) {
        throw new QueueFullError(version.versionId, Math.ceil(version.scheduler.queued / runtime.settings.limits.maxBatch) || 1);
      }
    } catch (error) {
      reservation?.settle(0);
      lease.release();
      throw error;
    }

    const head: ResponseHead = { endpoint, id: completionId(endpoint, version.versionId), created: Math.floor(Date.now() / 1000), model: version.versionId };
    const labels = { model_version: version.versionId };
    // Streams are checked in chunks as they go; a JSON answer once, when complete.
    const guardChunk = plan.stream ? runtime.settings.guardrailChunkTokens : Number.POSITIVE_INFINITY;
    const choices: ChoiceState[] = plan.sequences.map(() => ({ guard: new OutputGuard(runtime.guardrail, plan.systemPrompt, guardChunk), finish: undefined, tokens: 0 }));
    const eot = version.model.eotToken;
    let firstTokenAt: number | undefined;
    let lastTokenAt = 0;
    let pending = choices.length;
    let failure: ServingError | undefined;
    let clientGone = false;
    let corked = false;
    let streaming = false;

    const write = (payload: unknown) => {
      if (!streaming || clientGone || response.writableEnded) return;
      // Events written in one turn (an engine message's text, the finish, the usage) leave as one packet: one wake-up for the client.
      if (!corked) {
        corked = true;
        response.cork();
        setImmediate(() => {
          corked = false;
          response.uncork();
        });
      }
      response.write(`data: ${JSON.stringify(payload)}\n\n`);
    };
    const done = new Promise<void>((resolve) => {
      const settleOne = () => {
        if (--pending === 0) resolve();
      };
      plan.sequences.forEach((sequenceRequest, index) => {
        const choice = choices[index]!;
        choice.sequence = new Sequence(sequenceRequest, version.model.tokenizer, eot === undefined ? [] : [eot], {
          onText: (text, tokens) => {
            choice.tokens = tokens;
            const now = performance.now();
            firstTokenAt ??= now;
            lastTokenAt = now;
            if (!text) return;
            const verdict = choice.guard.next(text);
            if ('stop' in verdict) {
              choice.finish = 'content_filter';
              choice.sequence?.cancel('content_filter');
              return;
            }
            if (plan.stream && verdict.pass) write(chunkBody(head, index, { text: verdict.pass }, plan.includeUsage));
          },
          onFinish: (reason: FinishReason, tokens) => {
            choice.tokens = tokens;
            if (reason !== 'cancelled' && reason !== 'content_filter') {
              const tail = choice.guard.end();
              if ('stop' in tail) choice.finish = 'content_filter';
              else if (plan.stream && tail.pass) write(chunkBody(head, index, { text: tail.pass }, plan.includeUsage));
            }
            choice.finish ??= reason === 'cancelled' ? 'stop' : reason;
            if (plan.stream && !clientGone) write(chunkBody(head, index, { finish: choice.finish }, plan.includeUsage));
            settleOne();
          },
          onError: (error) => {
            this.logger.error({ err: error, model_version: version.versionId, requestId: head.id }, 'generation failed');
            failure ??= toServingError(error);
            settleOne();
          },
        });
      });
    });

    response.on('close', () => {
      if (pending > 0) {
        clientGone = true;
        for (const c of choices) c.sequence?.cancel();
      }
    });
    try {
      for (const choice of choices) version.scheduler.submit(choice.sequence!);
    } catch (error) {
      failure = toServingError(error);
      for (const c of choices) c.sequence?.cancel();
    }
    // The stream opens once the choices are on their way to the engine; tokens arrive later (a
    // message from the engine thread, or microtasks after this synchronous block), never before
    // the headers. The headers leave with the first event, not on their own: each socket write
    // wakes the client, and on a 2-core machine a wake-up during the prefill is taken from it.
    if (plan.stream && !failure) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'x-crucible-model-version': version.versionId,
        'x-request-id': head.id,
      });
      streaming = true;
      if (endpoint === 'chat') choices.forEach((_, index) => write(chunkBody(head, index, { role: true }, plan.includeUsage)));
    }
    await done;

    const completionTokens = choices.reduce((k, c) => k + c.tokens, 0);
    const usage = usageOf(plan.promptTokens, completionTokens);
    reservation?.settle(plan.sequences.reduce((k, s) => k + s.promptTokens.length, 0) + completionTokens);
    lease.release();

    let status = 200;
    if (failure) {
      status = failure.status;
      this.countError(failure, version.versionId, endpoint, arrived);
      sendError(response, failure);
    } else if (clientGone) {
      status = 499; // nginx's "client closed request": nothing was sent, nothing failed on our side
    } else if (plan.stream) {
      if (plan.includeUsage) write(usageChunk(head, usage));
      response.end('data: [DONE]\n\n');
    } else {
      const body = responseBody(head, choices.map((c) => ({ text: c.guard.text, finish: c.finish ?? 'stop' })), usage);
      sendJson(response, 200, body, { 'x-crucible-model-version': version.versionId, 'x-request-id': head.id });
    }

    const ended = performance.now();
    runtime.metrics.e2eLatency.observe(labels, (ended - arrived) / 1000);
    if (firstTokenAt !== undefined) {
      runtime.metrics.timeToFirstToken.observe(labels, (firstTokenAt - arrived) / 1000);
      if (completionTokens > 1) runtime.metrics.timePerOutputToken.observe(labels, (lastTokenAt - firstTokenAt) / 1000 / (completionTokens - 1));
    }
    runtime.metrics.promptTokens.inc(labels, plan.promptTokens);
    runtime.metrics.outputTokens.inc(labels, completionTokens);
    runtime.metrics.requests.inc({ ...labels, endpoint, status: String(status) });
    runtime.traffic.record(version.versionId, ended - arrived, failure !== undefined && failure.status >= 500);
    this.logger.info(
      {
        requestId: head.id,
        keyId: key?.id,
        ...(request.body.user !== undefined && { user: request.body.user }),
        model_version: version.versionId,
        status,
        promptTokens: plan.promptTokens,
        completionTokens,
        finish: choices.map((c) => c.finish),
        ms: Math.round(ended - arrived),
        ...(runtime.settings.logContent && { prompt: plan.promptTexts, completion: choices.map((c) => c.guard.text) }),
      },
      'completion served',
    );
  }

  private countError(error: ServingError, versionId: string, endpoint: Endpoint, arrived: number): void {
    const { metrics, traffic } = this.runtime;
    metrics.errors.inc({ code: error.code, status: String(error.status), model_version: versionId });
    metrics.requests.inc({ model_version: versionId, endpoint, status: String(error.status) });
    if (versionId !== 'none' && error.status >= 500) traffic.record(versionId, performance.now() - arrived, true);
  }
}

interface ChatTurnsMarker {
  readonly turns: ReturnType<typeof chatTurns>;
}
