import { CrucibleError, ValidationError } from '@crucible/contracts';
import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { httpErrorFilter, mapHttpError } from './http-error-filter';

const TABLE = { run_not_found: 404, run_finished: 409 };

describe('mapHttpError', () => {
  it('takes the status of a typed error from the API table, keeping its message and issues', () => {
    expect(mapHttpError(new CrucibleError<'run_not_found'>('run_not_found', 'no run r1', false), TABLE)).toEqual({ status: 404, code: 'run_not_found', message: 'no run r1' });
    const invalid = new ValidationError('bad body', [{ path: ['steps'], message: 'must be positive' }]);
    expect(mapHttpError(invalid, TABLE)).toEqual({ status: 400, code: 'invalid_event', message: 'bad body', issues: [{ path: ['steps'], message: 'must be positive' }] });
  });

  it('recognises typed errors of the libs that are not CrucibleErrors', () => {
    const libError = Object.assign(new Error('finished'), { code: 'run_finished', retriable: false });
    expect(mapHttpError(libError, TABLE).status).toBe(409);
  });

  it('hides the message of untyped errors, and of typed ones the table does not know', () => {
    const enoent = Object.assign(new Error('ENOENT: /srv/secret/path'), { code: 'ENOENT' });
    expect(mapHttpError(enoent, TABLE)).toEqual({ status: 500, code: 'internal_error', message: 'internal error' });
    expect(mapHttpError(new CrucibleError<'odd'>('odd', 'odd', false), TABLE).status).toBe(500);
  });

  it('keeps the status of Nest HTTP exceptions', () => {
    expect(mapHttpError(new NotFoundException('Cannot GET /x'), TABLE)).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('names the filter class after its API', () => {
    expect(httpErrorFilter('safety reports', TABLE).name).toBe('SafetyReportsHttpErrorFilter');
  });
});
