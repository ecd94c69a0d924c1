import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Machine {
  env: Record<string, string | undefined>;
  platform: string;
  glibc: string | undefined;
  thp: string | undefined;
}
const { hugePageTunables } = createRequire(import.meta.url)('./huge-pages.cjs') as { hugePageTunables: (m: Machine) => string | undefined };

const MADVISE = 'always [madvise] never\n';
const machine = (over: Partial<Machine> = {}): Machine => ({ env: {}, platform: 'linux', glibc: '2.36', thp: MADVISE, ...over });

describe('hugePageTunables', () => {
  it('asks glibc to mark its large allocations where THP waits to be asked (madvise)', () => {
    expect(hugePageTunables(machine())).toBe('glibc.malloc.hugetlb=1');
  });

  it("keeps the operator's other tunables", () => {
    expect(hugePageTunables(machine({ env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } }))).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  });

  it('leaves a choice already made alone, including a 0', () => {
    expect(hugePageTunables(machine({ env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } }))).toBeUndefined();
    expect(hugePageTunables(machine({ env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' } }))).toBeUndefined();
  });

  it('does nothing where there is nothing to gain: THP always or never, no THP, old glibc, musl, not Linux', () => {
    expect(hugePageTunables(machine({ thp: '[always] madvise never\n' }))).toBeUndefined();
    expect(hugePageTunables(machine({ thp: 'always madvise [never]\n' }))).toBeUndefined();
    expect(hugePageTunables(machine({ thp: undefined }))).toBeUndefined();
    expect(hugePageTunables(machine({ glibc: '2.34' }))).toBeUndefined();
    expect(hugePageTunables(machine({ glibc: '2.35' }))).toBe('glibc.malloc.hugetlb=1');
    expect(hugePageTunables(machine({ glibc: '3.0' }))).toBe('glibc.malloc.hugetlb=1');
    expect(hugePageTunables(machine({ glibc: undefined }))).toBeUndefined();
    expect(hugePageTunables(machine({ platform: 'darwin', glibc: undefined }))).toBeUndefined();
  });

  it('can be switched off with CRUCIBLE_HUGE_PAGES=0', () => {
    expect(hugePageTunables(machine({ env: { CRUCIBLE_HUGE_PAGES: '0' } }))).toBeUndefined();
    expect(hugePageTunables(machine({ env: { CRUCIBLE_HUGE_PAGES: 'false' } }))).toBeUndefined();
  });
});
