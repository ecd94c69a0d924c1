/** `/healthz` (the process is alive), `/readyz` (it can take work) and `/metrics` (Prometheus). */
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';
import { METRICS, READINESS } from './tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res() response: Response) {
    const result = await this.readiness.evaluate();
    response.status(result.ready ? 200 : 503).json(result);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus() {
    return this.metrics.registry.metrics();
  }
}
