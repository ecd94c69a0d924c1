/** `POST /v1/completions` and `POST /v1/chat/completions`: the OpenAI wire format, JSON or SSE. */
import { Controller, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OpenAiErrorFilter } from '../openai/openai-error.filter';
import { CompletionService } from './completion.service';

@Controller('v1')
@UseFilters(OpenAiErrorFilter)
export class CompletionsHttpController {
  constructor(private readonly completions: CompletionService) {}

  @Post('completions')
  complete(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.completions.handle('completions', request, response);
  }

  @Post('chat/completions')
  chat(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.completions.handle('chat', request, response);
  }
}
