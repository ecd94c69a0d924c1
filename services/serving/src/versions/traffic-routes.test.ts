import { describe, expect, it } from 'vitest';
import { pickRoute } from './traffic-routes';

describe('pickRoute', () => {
  const routes = [
    { version: 'm@1', weight: 90 },
    { version: 'm@2', weight: 10 },
  ];

  it('splits by weight', () => {
    expect(pickRoute(routes, 0)).toBe('m@1');
    expect(pickRoute(routes, 0.8999)).toBe('m@1');
    expect(pickRoute(routes, 0.9)).toBe('m@2');
    expect(pickRoute(routes, 0.99999)).toBe('m@2');
    const counts = { 'm@1': 0, 'm@2': 0 } as Record<string, number>;
    for (let i = 0; i < 1000; i++) counts[pickRoute(routes, i / 1000)!]!++;
    expect(counts).toEqual({ 'm@1': 900, 'm@2': 100 });
  });

  it('ignores zero weights and has no answer without weight', () => {
    expect(pickRoute([{ version: 'm@1', weight: 0 }, { version: 'm@2', weight: 5 }], 0)).toBe('m@2');
    expect(pickRoute([{ version: 'm@1', weight: 0 }])).toBeUndefined();
    expect(pickRoute([])).toBeUndefined();
  });
});
