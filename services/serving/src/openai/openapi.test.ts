import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

describe('openApiDocument', () => {
  it('is OpenAPI 3.1 with the request schemas generated from the validating zod schemas', () => {
    const doc = openApiDocument() as { openapi: string; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/v1/completions', '/v1/chat/completions', '/v1/models', '/v1/feedback']);
    const completion = doc.components.schemas.CreateCompletionRequest!;
    expect(completion.required).toEqual(expect.arrayContaining(['model', 'prompt']));
    expect(completion.properties!.temperature).toMatchObject({ anyOf: expect.arrayContaining([expect.objectContaining({ type: 'number', minimum: 0, maximum: 2 })]) });
    expect(doc.components.schemas.CreateChatCompletionRequest!.required).toEqual(expect.arrayContaining(['model', 'messages']));
    expect(doc.components.schemas.FeedbackRequest!.properties).not.toHaveProperty('modelVersionId');
    // Every $ref resolves inside the document.
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r.slice('"#/components/schemas/'.length, -1));
  });
});
