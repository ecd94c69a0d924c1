/**
 * `GET /v1/registry/…`: read-only views of the registry for operators, dashboards and other
 * stages. Translates only: the views come from @crucible/registry, errors become 4xx.
 */
import { modelOverview, RegistryError, RUN_STATUSES, versionDetails, type Registry, type RunStatus } from '@crucible/registry';
import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { REGISTRY } from './registry.token';

const MAX_RUNS = 1_000;

@Controller('v1/registry')
export class RegistryQueryController {
  constructor(@Inject(REGISTRY) private readonly registry: Registry) {}

  @Get('models')
  async models() {
    return { models: await modelOverview(this.registry) };
  }

  @Get('models/:ref')
  async model(@Param('ref') ref: string) {
    const details = await translate(() => versionDetails(this.registry, ref));
    if (!details) throw new NotFoundException(`no model version matches '${ref}'`);
    return details;
  }

  @Get('runs')
  async runs(@Query('status') status?: string, @Query('model') model?: string, @Query('limit') limit?: string) {
    return { runs: await this.registry.runs.list({ status: parseStatus(status), model, limit: parseLimit(limit) }) };
  }

  @Get('runs/:runId')
  async run(@Param('runId') runId: string) {
    const run = await this.registry.runs.get(runId);
    if (!run) throw new NotFoundException(`no training run '${runId}'`);
    return { run, progress: await this.registry.runs.progress(runId) };
  }
}

function parseStatus(status: string | undefined): RunStatus | undefined {
  if (status === undefined) return undefined;
  if ((RUN_STATUSES as readonly string[]).includes(status)) return status as RunStatus;
  throw new BadRequestException(`status must be one of ${RUN_STATUSES.join(', ')}; got '${status}'`);
}

function parseLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS) throw new BadRequestException(`limit must be an integer from 1 to ${MAX_RUNS}; got '${limit}'`);
  return n;
}

/** A malformed reference is the caller's mistake: 400 with the parser's message. */
async function translate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'invalid_reference') throw new BadRequestException(error.message);
    throw error;
  }
}
