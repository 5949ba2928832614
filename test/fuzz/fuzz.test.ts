/**
 * Property-based tests over every public entry point (a bounded run of the campaign in
 * main.ts; `npm run fuzz` is the long one): adversarial arguments give a documented, coded
 * error or a result — never an uncoded error, a crash or a hang — and a refused call changes
 * no state. Each group runs in its own child process, under both FFI drivers where the
 * driver matters (the calls that reach libc with a name or a number).
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import * as itimer from '../../src/index.js';
import * as promises from '../../src/node/promises.js';
import * as timers from '../../src/node/timers.js';
import { ENTRIES, EXCLUDED, type Group } from './entries.js';
import type { EntryReport } from './main.js';

interface Campaign {
  reports: EntryReport[];
  lateErrors: string[];
}

function campaign(group: Group, runs: number, driver: string): Promise<{ result?: Campaign; problem?: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...process.execArgv, new URL('main.ts', import.meta.url).pathname, group, '--runs', String(runs), '--json'],
      {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
        env: { ...process.env, ITIMER_FFI: driver, FUZZ_TRACE: '1', ITIMER_DEBUG_HEAP: '1' },
        timeout: 50_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const lines = stderr.trimEnd().split('\n');
        const lastInput = `${lines.findLast((line) => line.startsWith('ENTRY ')) ?? ''} ${lines.at(-1)?.trim().slice(0, 400) ?? ''}`;
        if (error) resolve({ problem: `the ${group} campaign ended with ${error.signal ?? `status ${error.code}`}; last entry and input: ${lastInput}` });
        else resolve({ result: JSON.parse(stdout.trim().split('\n').at(-1)!) as Campaign });
      },
    );
  });
}

const CAMPAIGNS: [Group, number, string][] = [
  ['host', 120, 'koffi'],
  ['host', 40, 'ffi-napi'],
  ['virtual', 60, 'koffi'],
  ['signals', 150, 'koffi'],
  ['signals', 80, 'ffi-napi'],
  ['exec', 60, 'koffi'],
];

for (const [group, runs, driver] of CAMPAIGNS) {
  // One campaign at a time: each is a busy process, and the machine is shared.
  test.serial(`fuzz: every ${group} entry refuses adversarial input with a documented code and no state change (${driver})`, async (t) => {
    const { result, problem } = await campaign(group, runs, driver);
    if (!result) return t.fail(problem);
    t.true(result.reports.length > 0);
    for (const report of result.reports) t.is(report.tried, runs, report.name);
    t.deepEqual(result.reports.flatMap((r) => r.failures), []);
    // Callbacks armed by accepted calls may throw later: only the adversarial callbacks' own errors.
    t.deepEqual(result.lateErrors.filter((m) => !/Class constructor|adversarial getter or trap/.test(m)), []);
  });
}

test('fuzz: every function and class exported by itimer, itimer/timers and itimer/promises is fuzzed or excluded with a reason', (t) => {
  const fuzzed = new Set(ENTRIES.map((e) => e.name.split(/[.#(]/)[0]));
  const modules: [prefix: string, exports: object][] = [['', itimer], ['timers:', timers], ['promises:', promises]];
  const missing: string[] = [];
  const exported = new Set<string>();
  for (const [prefix, module] of modules) {
    for (const [name, value] of Object.entries(module)) {
      exported.add(prefix + name);
      const callable = typeof value === 'function' || (typeof value === 'object' && value !== null && Object.values(value).some((v) => typeof v === 'function'));
      if (callable && !fuzzed.has(prefix + name) && !Object.hasOwn(EXCLUDED, prefix + name)) missing.push(prefix + name);
    }
  }
  t.deepEqual(missing, []);
  for (const name of Object.keys(EXCLUDED)) t.true(exported.has(name), `${name} is excluded but not exported`);
});
