// The terminal and HTML renderers on a registry filled through its API (seedRegistry).
import { openRegistry, type Registry } from '@crucible/registry';
import { safetyReport, seedRegistry, tickingClock } from '@crucible/registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report';
import { collectReport, type ReportData } from './report-data';
import { renderTerminalReport } from './terminal-report';

describe('report renderers', () => {
  let registry: Registry;
  const collect = async (ref: string): Promise<ReportData> => {
    const data = await collectReport(registry, ref, new Date('2026-03-02T00:00:00.000Z'));
    if (!data) throw new Error(`nothing for ${ref}`);
    return data;
  };

  beforeEach(async () => {
    registry = await openRegistry('sqlite::memory:', { now: tickingClock('2026-03-01T09:00:00.000Z') });
    await seedRegistry(registry);
  });
  afterEach(() => registry.close());

  describe('terminal', () => {
    it('shows lineage, both verdicts with reasons, metrics and safety by OWASP category', async () => {
      const text = renderTerminalReport(await collect('sotu:challenger'));
      expect(text.split('\n').slice(0, 2)).toEqual(['sotu@3  (challenger)', '====================']);
      expect(text).toMatch(/run\s+run-3 \(succeeded, step 40\/40, final loss 2\)/);
      expect(text).toMatch(/dataset\s+ds-sotu sha256:a{16}…/);
      expect(text).toMatch(/tokenizer\s+tok-sotu-512/);
      expect(text).toMatch(/artifact\s+\/data\/models\/sotu\/3/);
      expect(text).toContain('challenger: (new) -> sotu@3  by serving-gateway — canary started');
      expect(text).toMatch(/Evaluation: PASSED {2}\(report #1, 2026-03-01 09:\d\d\)\n {2}- perplexity 41.2 <= 60\n {2}- bits-per-byte 1.9 <= 2.5/);
      expect(text).toMatch(/perplexity\s+41\.2/);
      expect(text).toMatch(/Safety: FAILED .*\n {2}- LLM02:2025 failure rate 0.25 > 0.10/);
      expect(text).toMatch(/LLM02:2025\s+Sensitive information disclosure\s+12\s+3\s+25\.0%/);
      expect(text).toMatch(/LLM07:2025\s+System prompt leakage\s+8\s+3\s+37\.5%/);
    });

    it('says what is missing for a version without reports, and reads safety counts from metrics when the report has no categories', async () => {
      expect(renderTerminalReport(await collect('sotu@1'))).toContain('Evaluation: not reported yet\n\nSafety: not reported yet');
      const fromMetrics = { ...safetyReport('sotu@1', false), report: { note: 'older format' }, metrics: { 'LLM01:2025.probes': 10, 'LLM01:2025.failures': 2 } };
      await registry.reports.save(fromMetrics);
      // No name in the report: the OWASP list names the category.
      expect(renderTerminalReport(await collect('sotu@1'))).toMatch(/LLM01:2025\s+Prompt Injection\s+10\s+2\s+20\.0%/);
    });
  });

  describe('html', () => {
    it('is one self-contained document: inline CSS and SVG, no scripts or external assets', async () => {
      const html = renderHtmlReport(await collect('sotu'));
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<style>');
      expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
      // The only URL is the SVG namespace, which is a name, not a fetch.
      expect(html.match(/https?:\/\/[^"\s]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    });

    it('draws the loss and validation-loss curves from the run progress', async () => {
      const html = renderHtmlReport(await collect('sotu@2'));
      const paths = [...html.matchAll(/<path d="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)].map((m) => ({ name: m[2], d: m[1] ?? '' }));
      expect(paths.map((p) => p.name)).toEqual(['training loss', 'validation loss']);
      // 9 progress records (steps 0..40 by 5); validation every 10 steps: 5 points.
      expect(paths[0]?.d.split(/ (?=[ML])/)).toHaveLength(9);
      expect(paths[1]?.d.split(/ (?=[ML])/)).toHaveLength(5);
      // Loss falls: the line's y (SVG grows downwards) rises from first to last point.
      const ys = (paths[0]?.d ?? '').split(' ').map((pt) => Number(pt.split(',')[1]));
      expect(ys[ys.length - 1]).toBeGreaterThan(ys[0] ?? Infinity);
      expect(html).toContain('stroke-dasharray="6 4"');
    });

    it('compares each metric across versions with this one highlighted, and tables safety and lineage', async () => {
      const html = renderHtmlReport(await collect('sotu@3'));
      const perplexity = /<h3>perplexity<\/h3>(<svg.*?<\/svg>)/s.exec(html)?.[1] ?? '';
      expect(perplexity).toContain('sotu@2 (champion)');
      expect(perplexity).toContain('sotu@3 (challenger)');
      expect(perplexity.match(/class="bar hl"/g)).toHaveLength(1);
      expect(html).toMatch(/<code>LLM07:2025<\/code><\/td><td>System prompt leakage<\/td><td class="num">8<\/td><td class="num">3<\/td>/);
      expect(html).toContain('37.5%');
      expect(html).toMatch(/<th>dataset sha256<\/th><td><code>a{64}<\/code>/);
      expect(html).toContain('<span class="badge fail">safety: FAILED</span>');
    });

    it('escapes text that came from reports', async () => {
      await registry.reports.save({ versionId: 'sotu@1', kind: 'evaluation', verdict: { passed: false, reasons: ['<script>alert(1)</script>'] }, metrics: { 'a<b': 1 }, report: {} });
      const html = renderHtmlReport(await collect('sotu@1'));
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('a&lt;b');
    });
  });
});
