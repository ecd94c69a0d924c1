/**
 * Key administration over HTTP, for deployments without a shell on the gateway's volume:
 * `POST /v1/admin/keys` (201, the key in clear text once), `GET /v1/admin/keys` (no hashes),
 * `DELETE /v1/admin/keys/{id}`. Authorised by `SERVING_ADMIN_TOKEN`; without it these answer 404.
 */
import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { readJsonBody } from '../http/read-json-body';
import { OpenAiErrorFilter } from '../openai/openai-error.filter';
import { validateRequest } from '../openai/validate-request';
import { ServingRuntime } from '../serving-runtime';
import { InvalidApiKeyError, MissingApiKeyError, NotFoundError } from '../serving.errors';

const CreateKeySchema = z
  .object({
    name: z.string().max(200).optional(),
    models: z.array(z.string().min(1)).min(1),
    requestsPerMinute: z.number().int().positive().optional(),
    tokensPerMinute: z.number().int().positive().optional(),
  })
  .strict();

@Controller('v1/admin/keys')
@UseFilters(OpenAiErrorFilter)
export class AdminKeysHttpController {
  constructor(@Inject(ServingRuntime) private readonly runtime: ServingRuntime) {}

  @Post()
  @HttpCode(201)
  async create(@Req() request: Request) {
    const keys = this.authorize(request.headers.authorization);
    const input = validateRequest(CreateKeySchema, await readJsonBody(request, this.runtime.settings.limits.maxBodyBytes));
    const { limits } = this.runtime.settings;
    const { key, record } = keys.create({
      models: input.models,
      ...(input.name !== undefined && { name: input.name }),
      requestsPerMinute: input.requestsPerMinute ?? limits.requestsPerMinute,
      tokensPerMinute: input.tokensPerMinute ?? limits.tokensPerMinute,
    });
    const { hash: _hash, ...visible } = record;
    return { ...visible, key };
  }

  @Get()
  list(@Headers('authorization') authorization: string | undefined) {
    return { object: 'list', data: this.authorize(authorization).list().map(({ hash: _hash, ...visible }) => visible) };
  }

  @Delete(':id')
  revoke(@Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    if (!this.authorize(authorization).revoke(id)) throw new NotFoundError(`No key '${id}'.`, 'id', 'key_not_found');
    return { id, object: 'key', deleted: true };
  }

  private authorize(authorization: string | undefined) {
    const token = this.runtime.settings.adminToken;
    const keys = this.runtime.keys;
    if (!token || !keys) throw new NotFoundError('Key administration over HTTP is not enabled (SERVING_ADMIN_TOKEN).');
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!presented) throw new MissingApiKeyError();
    const a = Buffer.from(presented);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new InvalidApiKeyError();
    return keys;
  }
}
