import { describe, expect, it } from 'vitest';
import { loadServingServiceConfig, settingsFromConfig } from './config';
import { openServing } from './open-serving';
import type { Registry } from '@crucible/registry';

const routes = { sotu: [{ version: 'sotu@3', weight: 100 }] };
const external = { SERVING_ROLLOUT: 'external' };
const errorOf = (env: Record<string, string>) => {
  try {
    loadServingServiceConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('serving config: external rollout routes', () => {
  it('accepts inline routes (SERVING_ROUTES) in the routing file shape and hands them to the settings', () => {
    const config = loadServingServiceConfig({ ...external, SERVING_ROUTES: JSON.stringify(routes) });
    expect(config.SERVING_ROUTES).toEqual(routes);
    const settings = openServing({ dataDir: '/tmp', registry: {} as Registry, settings: settingsFromConfig(config) }).settings;
    expect(settings.rollout).toMatchObject({ mode: 'external', routes });
    expect(settings.rollout.routingFile).toBeUndefined();
  });

  it('still accepts a routing file alone', () => {
    const config = loadServingServiceConfig({ ...external, SERVING_ROUTING_FILE: '/etc/crucible/routing/routing.json' });
    expect(settingsFromConfig(config).rollout).toMatchObject({ mode: 'external', routingFile: '/etc/crucible/routing/routing.json' });
    expect(settingsFromConfig(config).rollout).not.toHaveProperty('routes');
  });

  it('needs exactly one of the file and the inline routes in external mode', () => {
    expect(errorOf(external)).toMatch(/SERVING_ROUTING_FILE: SERVING_ROUTING_FILE or SERVING_ROUTES is required when SERVING_ROLLOUT=external/);
    expect(errorOf({ ...external, SERVING_ROUTING_FILE: '/r.json', SERVING_ROUTES: JSON.stringify(routes) })).toMatch(/SERVING_ROUTES: set SERVING_ROUTING_FILE or SERVING_ROUTES, not both/);
  });

  it('rejects inline routes outside external mode', () => {
    expect(errorOf({ SERVING_ROUTES: JSON.stringify(routes) })).toMatch(/SERVING_ROUTES: only with SERVING_ROLLOUT=external/);
    expect(errorOf({ SERVING_ROLLOUT: 'embedded', SERVING_ROUTES: JSON.stringify(routes) })).toMatch(/SERVING_ROUTES: only with SERVING_ROLLOUT=external/);
  });

  it.each([
    ['not JSON', '{sotu: 1', /SERVING_ROUTES: expected routing JSON .*: not JSON/],
    ['not an object of lists', '["sotu@3"]', /SERVING_ROUTES: expected routing JSON .*\(root\)/],
    ['a version without its number', JSON.stringify({ sotu: [{ version: 'sotu', weight: 100 }] }), /SERVING_ROUTES: .*sotu\.0\.version: expected <model>@<n>/],
    ['a weight over 100', JSON.stringify({ sotu: [{ version: 'sotu@3', weight: 150 }] }), /SERVING_ROUTES: .*sotu\.0\.weight/],
    ['an unknown field', JSON.stringify({ sotu: [{ version: 'sotu@3', weight: 100, pinned: true }] }), /SERVING_ROUTES: .*sotu\.0/],
  ])('rejects inline routes that are %s, naming the problem', (_name, value, message) => {
    expect(errorOf({ ...external, SERVING_ROUTES: value })).toMatch(message);
  });

  it('the settings schema holds the same rules for code that builds settings itself', () => {
    const open = (rollout: object) => () => openServing({ dataDir: '/tmp', registry: {} as Registry, settings: { rollout } });
    expect(open({ mode: 'external' })).toThrow(/routing file \(SERVING_ROUTING_FILE\) or inline routes \(SERVING_ROUTES\)/);
    expect(open({ mode: 'external', routingFile: '/r.json', routes })).toThrow(/not both/);
    expect(open({ mode: 'embedded', routes })).toThrow(/inline routes need external rollout mode/);
    expect(open({ mode: 'external', routes })).not.toThrow();
  });
});
