#!/usr/bin/env node
// Transparent huge pages for the memory ONNX Runtime computes on.
//
// A decode step reads every weight once, so its speed depends on TLB misses, and with 4 KiB
// pages those depend on where each buffer happens to land: on the 2-core CI VM, identical
// sessions of the `small` model differed by up to 10% in decode time (the same process, the
// same weights, interleaved requests), and were 4-10% slower than on huge pages, which also
// brought them within about 1% of each other. Most distributions ship THP in `madvise` mode:
// only memory a program marks gets huge pages, and glibc marks its own large allocations (ONNX
// Runtime's arena, Node's ArrayBuffers) only when the `glibc.malloc.hugetlb` tunable is 1,
// read once when the process starts. So the launchers relaunch themselves with it:
//
//   node scripts/huge-pages.cjs <script> [args…]   runs the script with huge pages
//   require('./huge-pages.cjs').relaunchWithHugePages()   true: a child now runs this process's
//                                                         command; the caller stops there
//
// Nothing happens off Linux or glibc, with THP `never` (no huge pages to have) or `always`
// (every allocation gets them already), when GLIBC_TUNABLES already names the tunable (the
// operator chose), or with CRUCIBLE_HUGE_PAGES=0. The container images set the variable in
// their environment instead, and need no relaunch.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const TUNABLE = 'glibc.malloc.hugetlb';
/** Set in the relaunched child: it has an IPC channel to its launcher (see guardAgainstOrphaning). */
const RELAUNCHED = 'CRUCIBLE_HUGE_PAGES_RELAUNCHED';
// The tunable appeared in glibc 2.35; older ones ignore it, so a relaunch would gain nothing.
const FIRST_GLIBC = [2, 35];

/**
 * The GLIBC_TUNABLES value to relaunch with, or undefined when there is nothing to gain.
 * `glibc` is the runtime's version ('2.36'; undefined on musl or off Linux), `thp` the content
 * of /sys/kernel/mm/transparent_hugepage/enabled (undefined when absent).
 */
function hugePageTunables({ env, platform, glibc, thp }) {
  if (platform !== 'linux' || !glibc || !atLeast(glibc, FIRST_GLIBC)) return undefined;
  if (env.CRUCIBLE_HUGE_PAGES === '0' || env.CRUCIBLE_HUGE_PAGES === 'false') return undefined;
  if (!thp || !thp.includes('[madvise]')) return undefined;
  if (hugetlbSetting(env) !== undefined) return undefined;
  const current = env.GLIBC_TUNABLES ?? '';
  return current ? `${current}:${TUNABLE}=1` : `${TUNABLE}=1`;
}

/** The value GLIBC_TUNABLES gives the tunable ('1', '0', …), or undefined when it names none. */
function hugetlbSetting(env) {
  const setting = (env.GLIBC_TUNABLES ?? '').split(':').find((s) => s.startsWith(`${TUNABLE}=`));
  return setting?.slice(TUNABLE.length + 1);
}

function atLeast(version, [major, minor]) {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

function thisMachine() {
  let thp;
  try {
    thp = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    thp = undefined;
  }
  // A diagnostic report takes ~7 ms: only asked for when the answer could still matter (not in
  // the relaunched child, whose environment names the tunable already).
  const undecided = process.platform === 'linux' && thp?.includes('[madvise]') && hugetlbSetting(process.env) === undefined;
  const glibc = undecided ? process.report.getReport().header.glibcVersionRuntime : undefined;
  return { env: process.env, platform: process.platform, glibc, thp };
}

/**
 * Relaunches this process's command (same node, flags and arguments) with huge pages and
 * returns true; returns false when there is nothing to gain (then the caller just goes on).
 * The launcher stays as a thin parent: it hands SIGTERM and SIGHUP on, leaves SIGINT alone
 * (a terminal sends it to the whole process group, the child included) and exits as the
 * child did.
 */
function relaunchWithHugePages() {
  guardAgainstOrphaning();
  const tunables = hugePageTunables(thisMachine());
  if (tunables === undefined) return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, GLIBC_TUNABLES: tunables, [RELAUNCHED]: '1' },
  });
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
  return true;
}

/**
 * In a relaunched child: should the launcher die without passing a signal on (SIGKILL), the
 * IPC channel closes, and the child shuts down as on SIGTERM instead of running on orphaned.
 * The channel is unreferenced: it keeps nothing alive.
 */
function guardAgainstOrphaning() {
  if (process.env[RELAUNCHED] !== '1' || !process.channel) return;
  delete process.env[RELAUNCHED]; // not inherited by what this process starts
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

module.exports = { hugePageTunables, hugetlbSetting, relaunchWithHugePages };

if (require.main === module) {
  const [, , script, ...rest] = process.argv;
  if (!script) {
    process.stderr.write('usage: huge-pages.cjs <script> [args…]\n');
    process.exit(2);
  }
  if (!relaunchWithHugePages()) {
    process.argv = [process.argv[0], path.resolve(script), ...rest];
    require(path.resolve(script));
  }
}
