/**
 * `GET /v1/models` in OpenAI's list format: every model name the key may use, its aliases
 * (`sotu:champion`, `sotu:challenger`) and its versions (`sotu@3`); `GET /v1/models/{id}`
 * one of them (404 model_not_found otherwise).
 */
import type { ModelVersion } from '@crucible/registry';
import { Controller, Get, Headers, Inject, Param, UseFilters } from '@nestjs/common';
import { keyAllowsModel } from '../auth/api-keys';
import { authorizeModel } from '../completions/authorize';
import { OpenAiErrorFilter } from '../openai/openai-error.filter';
import { ServingRuntime } from '../serving-runtime';
import { ModelNotFoundError } from '../serving.errors';

const OWNER = 'crucible';
const createdOf = (v: ModelVersion | undefined) => (v ? Math.floor(Date.parse(v.createdAt) / 1000) : 0);
const entry = (id: string, created: number) => ({ id, object: 'model' as const, created, owned_by: OWNER });

@Controller('v1/models')
@UseFilters(OpenAiErrorFilter)
export class ModelsHttpController {
  constructor(@Inject(ServingRuntime) private readonly runtime: ServingRuntime) {}

  @Get()
  async list(@Headers('authorization') authorization: string | undefined) {
    const key = authorizeModel.authenticate(this.runtime, authorization);
    const { registry } = this.runtime.options;
    const data = [];
    for (const summary of await registry.models.listModels()) {
      if (key && !keyAllowsModel(key, summary.name)) continue;
      const versions = await registry.models.listVersions(summary.name);
      const byId = new Map(versions.map((v) => [v.id, v]));
      if (summary.aliases.champion) data.push(entry(summary.name, createdOf(byId.get(summary.aliases.champion))));
      for (const [alias, target] of Object.entries(summary.aliases)) data.push(entry(`${summary.name}:${alias}`, createdOf(byId.get(target))));
      for (const v of versions) data.push(entry(v.id, createdOf(v)));
    }
    return { object: 'list', data };
  }

  @Get(':id')
  async retrieve(@Param('id') id: string, @Headers('authorization') authorization: string | undefined) {
    const key = authorizeModel.authenticate(this.runtime, authorization);
    authorizeModel.scope(key, id);
    const resolved = await this.runtime.router.resolve(id);
    const version = await this.runtime.router.version(resolved.versionId);
    if (!version) throw new ModelNotFoundError(id);
    return entry(id, createdOf(version));
  }
}
