/**
 * The `itimer` command line as a user runs it (the built bin).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const itimer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ITIMER_FFI: '' } });

test('--help and no command print the usage', (t) => {
  const help = itimer('--help');
  t.is(help.status, 0);
  t.regex(help.stdout, /^Usage: itimer <command>/);
  t.is(itimer().status, 2);
});

test('usage errors exit 2 with a message', (t) => {
  for (const args of [['frobnicate'], ['conformance', '--bogus'], ['conformance', '--ffi', 'ctypes'], ['conformance', '--filter', 'no-such-case']]) {
    const r = itimer(...args);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, /^itimer: /, args.join(' '));
  }
});

test('conformance --json reports each case with its verdict', (t) => {
  const r = itimer('conformance', '--json', '--filter', 'alarm/rounding');
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { driver: string; passed: number; failed: number; reports: { id: string; pass: boolean; expected: string; got: string }[] };
  t.is(report.driver, 'koffi');
  t.deepEqual(report.reports.map((c) => [c.id, c.pass]), [['alarm/rounding-matches-kernel', true], ['alarm/rounding-rule', true]]);
  t.is(report.passed, 2);
  t.is(report.failed, 0);
});

test('conformance prints a table and a summary line', (t) => {
  const r = itimer('conformance', '--filter', 'getitimer/einval', '--ffi', 'ffi-napi');
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /RESULT \| CASE \/ REFERENCE +\| EXPECTED +\| GOT/);
  t.regex(r.stdout, /PASS +\| getitimer\/einval/);
  t.true(r.stdout.endsWith(`FFI driver ffi-napi, ${process.arch}, Node ${process.version}: 1 passed, 0 failed\n`));
});
