/**
 * The fuzz campaign over itimer's public entry points, one group per process:
 *
 *   node --import=tsx test/fuzz/main.ts <host|virtual|signals|exec> [--runs N] [--seed S] [--skip REGEX] [--json]
 *
 * With FUZZ_TRACE=1 each entry and input is written to stderr before the call (to find a hang).
 *
 * For each entry it tries `runs` argument lists (fast-check, seeded) and counts the inputs
 * tried, the calls accepted and the refusals by code. A failure is a refusal without a
 * documented code (see values.ts `classify`) or a refusal that changed state. `npm run fuzz`
 * runs every group under both FFI drivers; the tests run a bounded campaign
 * (test/fuzz/fuzz.test.ts). The FFI driver is chosen with ITIMER_FFI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import fc from 'fast-check';
import * as itimer from '../../src/index.js';
import { dispositions, ENTRIES, type Group } from './entries.js';
import { classify, materialize, show, UserTrap } from './values.js';

/** What a group's run found for one entry. */
export interface EntryReport {
  name: string;
  tried: number;
  accepted: number;
  refusals: Record<string, number>;
  failures: string[];
}

const PENDING = Symbol('pending');
const noop = (): void => {};

/** Errors thrown later by callbacks the fuzz armed (an adversarial callback may be a class or a hostile proxy). */
const lateErrors: string[] = [];

function processState(group: Group): unknown {
  const chain = itimer.getChain();
  return [
    chain.size,
    (['real', 'virtual', 'prof'] as const).map((which) => itimer.getitimer(which)),
    itimer.sigprocmask('block'),
    itimer.getTimerSlack(),
    itimer.readAlarmDir(),
    itimer.activeAlarm(),
    (['SIGALRM', 'SIGUSR1', 'SIGUSR2', 'SIGINT', 'SIGTERM'] as const).map((signal) => process.listenerCount(signal)),
    group === 'signals' ? dispositions() : null,
  ];
}

async function settle(result: unknown): Promise<unknown> {
  if (!(result instanceof Promise)) return result;
  result.catch(noop); // a pending promise rejected later (an abort) is not this run's outcome
  return Promise.race([result, new Promise((resolve) => setImmediate(() => resolve(PENDING)))]);
}

async function runEntry(entry: (typeof ENTRIES)[number], index: number, group: Group, runs: number, seed: number): Promise<EntryReport> {
  if (process.env['FUZZ_TRACE']) process.stderr.write(`ENTRY ${entry.name}\n`);
  const report: EntryReport = { name: entry.name, tried: 0, accepted: 0, refusals: {}, failures: [] };
  const inputs = fc.sample(fc.tuple(...entry.args), { numRuns: runs, seed: seed + index });
  for (const tokens of inputs) {
    const args = materialize(tokens);
    report.tried++;
    if (process.env['FUZZ_TRACE']) process.stderr.write(`  ${show(args)}\n`);
    const fail = (problem: string): void => {
      if (report.failures.length < 5) report.failures.push(`${entry.name}(${show(args)}): ${problem}`);
    };
    let subject: unknown;
    try {
      subject = entry.setup?.();
    } catch (error) {
      fail(`setup failed: ${(error as Error).message}`);
      continue;
    }
    const before = [processState(group), entry.observe?.(subject)];
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    let waited = false;
    try {
      const result = entry.call(subject, args);
      waited = result instanceof Promise;
      outcome = { ok: true, result: await settle(result) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (outcome.ok) {
      report.accepted++;
    } else {
      const { code, bad } = classify(outcome.error);
      report.refusals[code] = (report.refusals[code] ?? 0) + 1;
      if (bad) fail(bad);
      const after = [processState(group), entry.observe?.(subject)];
      // While a promise settled, the event loop may have turned and run timers that earlier
      // accepted calls armed: the chain's size is then not this call's doing.
      if (waited) (after[0] as unknown[])[0] = (before[0] as unknown[])[0];
      // A loop limit is not a refused input: the passes before it ran, as documented.
      if (code !== 'ERR_ITIMER_LOOP_LIMIT' && !isDeepStrictEqual(before, after)) fail(`refused (${code}) but changed state: ${show(before)} -> ${show(after)}`);
    }
    try {
      entry.cleanup?.(subject, outcome.ok ? outcome.result : undefined, args);
    } catch (error) {
      if (!(error instanceof UserTrap)) fail(`cleanup failed: ${(error as Error).message}`);
    }
  }
  return report;
}

/** Runs every entry of `group`. */
export async function runGroup(group: Group, runs: number, seed: number, skip?: RegExp): Promise<EntryReport[]> {
  if (group === 'virtual') itimer.configureAlarms('virtual');
  // sigaction handlers rather than process.on listeners, so that the sigaction entry may restore them.
  if (group === 'signals') for (const signal of ['SIGALRM', 'SIGVTALRM', 'SIGPROF', 'SIGUSR2'] as const) itimer.sigaction(signal, noop);
  if (group === 'exec') {
    const dir = mkdtempSync(join(tmpdir(), 'itimer-fuzz-'));
    process.chdir(dir);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    process.env['PATH'] = '';
  }
  process.on('uncaughtException', (error) => lateErrors.push(error instanceof Error ? error.message : String(error)));
  const reports: EntryReport[] = [];
  for (const [index, entry] of ENTRIES.entries()) {
    if (entry.groups.includes(group) && !skip?.test(entry.name)) reports.push(await runEntry(entry, index, group, runs, seed));
  }
  return reports;
}

function printTable(group: Group, reports: EntryReport[]): void {
  const lines = [`itimer fuzz: group ${group}, FFI driver ${itimer.ffiDriverName()}`, ''];
  lines.push(`${'entry'.padEnd(36)} ${'tried'.padStart(6)} ${'accepted'.padStart(8)}  refusals by code`);
  for (const r of reports) {
    const refusals = Object.entries(r.refusals).map(([code, n]) => `${code} ${n}`).join(', ');
    lines.push(`${r.name.padEnd(36)} ${String(r.tried).padStart(6)} ${String(r.accepted).padStart(8)}  ${refusals}`);
  }
  const total = reports.reduce((sum, r) => sum + r.tried, 0);
  const failures = reports.flatMap((r) => r.failures);
  lines.push('', `${reports.length} entries, ${total} inputs, ${failures.length} failures`, ...failures);
  if (lateErrors.length > 0) lines.push(`${lateErrors.length} errors thrown later by armed callbacks, e.g. ${lateErrors.slice(0, 3).join(' | ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string', default: '200' }, seed: { type: 'string', default: '42' }, json: { type: 'boolean', default: false }, skip: { type: 'string' } },
  });
  const group = positionals[0] as Group;
  if (!['host', 'virtual', 'signals', 'exec'].includes(group)) throw new Error(`unknown group '${group}'`);
  const reports = await runGroup(group, Number(values.runs), Number(values.seed), values.skip === undefined ? undefined : new RegExp(values.skip));
  if (values.json) process.stdout.write(`${JSON.stringify({ reports, lateErrors })}\n`);
  else printTable(group, reports);
  // Exit now: accepted sleeps and timers may still be pending.
  process.exit(values.json || reports.every((r) => r.failures.length === 0) ? 0 : 1);
}
