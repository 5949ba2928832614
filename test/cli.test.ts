/**
 * The `itimer` command line as a user runs it (the built bin).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const itimer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ITIMER_FFI: '' } });

test('--help and no command print the usage', (t) => {
  const help = itimer('--help');
  t.is(help.status, 0);
  t.regex(help.stdout, /^Usage: itimer <command>/);
  t.is(itimer().status, 2);
});

test('usage errors exit 2 with a message (also for inherited names: toString is no command)', (t) => {
  for (const args of [['frobnicate'], ['toString'], ['constructor'], ['__proto__'], ['conformance', '--bogus'], ['conformance', '--ffi', 'ctypes'], ['conformance', '--filter', 'no-such-case']]) {
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
  t.true(r.stdout.endsWith(`FFI driver ffi-napi, ${process.arch}, Node ${process.version}\n1 passed, 0 failed\n`), r.stdout.slice(-200));
  t.true(r.stdout.split('\n').every((line) => line.length <= 80), 'the table fits an 80-column terminal');
});

test('conformance: a case that cannot run here is skipped with its reason, counted apart, and does not fail the run', async (t) => {
  const { formatTable, summary } = await import('../src/cli/conformance/report.js');
  const reports = [
    { id: 'a/ok', title: 'ok', reference: 'r', references: [], expected: 'x', got: 'x', pass: true, ms: 1 },
    { id: 'b/skip', title: 'needs a tool', reference: 'r', references: [], expected: 'x', got: '', skipped: 'needs esbuild, not installed here', pass: false, ms: 1 },
  ];
  t.deepEqual(summary(reports), { passed: 1, failed: 0, skipped: 1 });
  const table = formatTable(reports);
  t.regex(table, /SKIP +\| b\/skip/);
  t.regex(table, /\| skipped: needs/);
});

test('backends: the order of precedence, what starts, what is active (QEMU -clock help)', (t) => {
  const r = itimer('backends', '--json', '--clock', 'hpet,unix,libuv');
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { order: string[]; active: string; messages: string[]; backends: { name: string; enabled: boolean; starts: boolean }[] };
  t.deepEqual(report.order, ['unix', 'libuv']);
  t.is(report.active, 'unix');
  t.deepEqual(report.messages, ['Unknown clock hpet']);
  t.deepEqual(report.backends.map((b) => [b.name, b.enabled, b.starts]), [
    ['unix', true, true],
    ['libuv', true, true],
    ['timerfd', false, true],
    ['dynticks', false, true],
    ['virtual', false, true],
  ]);
  const text = itimer('backends');
  t.regex(text.stdout, /^Available alarm timers, in order of precedence:\n {2}timerfd +starts, ACTIVE/);
  t.is(itimer('backends', '--clock', 'hpet').status, 2);
});

test('probe: every mechanism in the user\'s frame, interleaved; each backend in its own process; the first timer; a --clock recommendation', (t) => {
  const r = itimer('probe', '--json', '--samples', '5', '--delay', '2', '--clock', 'timerfd,libuv');
  t.is(r.status, 0, r.stderr);
  type Frame = { n: number; p50: number; p90: number; p99: number; max: number; early: number; vsSetTimeout?: number; vsWatcher?: number };
  type Summary = { id: string; delayMs: number; callback?: Frame; await: Frame; resumption?: Frame; ownFrame?: Frame; armLag?: Frame; cpuPercent: number };
  const report = JSON.parse(r.stdout) as {
    schemaVersion: number;
    units: Record<string, string>;
    backend: string;
    mechanisms: Summary[];
    skipped: { id: string; reason: string }[];
    backends: { backend: string; summaries: Summary[] }[];
    firstTimer: { mechanism: string; armed: string; n: number; p50: number }[];
    recommendation: string;
    verdict: string;
  };
  t.is(report.schemaVersion, 3);
  t.deepEqual(Object.keys(report.units), ['delayMs', 'lateness', 'cpuPercent', 'firstTimer']);
  t.is(report.backend, 'timerfd');
  const all = ['busy-wait', 'setTimer-spin', 'sleep-spin', 'setTimer', 'sleep', 'itimer/promises', 'itimer/timers', 'watcher', 'nanotimer', 'setTimeout', 'timers/promises'];
  t.deepEqual(report.skipped, []); // nanotimer is a dev dependency
  t.deepEqual(report.mechanisms.map((s) => s.id), all);
  const promiseForms = ['sleep-spin', 'sleep', 'itimer/promises', 'timers/promises'];
  for (const s of report.mechanisms) {
    t.is(s.delayMs, 2);
    t.is(s.await.n, 5, s.id);
    t.is(s.callback === undefined, promiseForms.includes(s.id), s.id);
    t.is(s.resumption === undefined, promiseForms.includes(s.id), s.id);
    if (s.callback) t.true(s.await.p50 >= s.callback.p50, `${s.id}: resumes after await no sooner than in the callback`);
    t.true(s.cpuPercent >= 0 && s.cpuPercent <= 250, `${s.id}: ${s.cpuPercent} %`);
  }
  const find = (id: string) => report.mechanisms.find((s) => s.id === id)!;
  t.is(find('watcher').callback!.vsWatcher, 1); // the reference against itself (the watcher is never early: its p50 is positive)
  t.is(find('setTimer').await.vsWatcher, find('setTimer').await.p50 / find('watcher').await.p50);
  // The chain never fires before its own deadline, which it takes after the user's: never early in the user's frame.
  const itimerRows = [...report.mechanisms, ...report.backends.flatMap((b) => b.summaries)].filter((s) => ['setTimer-spin', 'sleep-spin', 'setTimer', 'sleep', 'itimer/promises', 'itimer/timers'].includes(s.id));
  t.true(itimerRows.every((s) => s.await.early === 0 && (s.callback?.early ?? 0) === 0));
  for (const id of ['busy-wait', 'setTimer-spin', 'setTimer', 'itimer/timers', 'watcher']) t.true(find(id).ownFrame !== undefined && find(id).armLag !== undefined, `${id}: its own frame, a diagnostic`);
  t.deepEqual(report.backends.map((b) => b.backend), ['timerfd', 'libuv']);
  t.deepEqual(report.backends[0]!.summaries.map((s) => s.id), ['setTimer', 'sleep', 'watcher', 'setTimeout']);
  t.deepEqual(report.firstTimer.map((f) => [f.mechanism, f.armed, f.n]), [['setTimer', 'top-level', 5], ['setTimeout', 'top-level', 5], ['setTimer', 'idle', 5], ['setTimeout', 'idle', 5]]);
  t.true(report.firstTimer.filter((f) => f.mechanism === 'setTimer').every((f) => f.p50 >= 0), 'the first setTimer is not early either');
  t.deepEqual(report.recommendation.split(',').sort(), ['libuv', 'timerfd']);
  t.regex(report.verdict, /^Verdict: use '(timerfd|libuv)' .*spin: true/);
  t.regex(r.stderr, /\[#{30}\] done/);
  for (const args of [['--samples', '0'], ['--delay', 'x'], ['--clock', 'hpet']]) t.is(itimer('probe', ...args).status, 2, args.join(' '));
  const virtual = itimer('probe', '--clock', 'virtual');
  t.is(virtual.status, 2);
  t.regex(virtual.stderr, /'virtual' has no real time to measure/);
});

test('probe: tables, the labelled diagnostic, SVG and the recommendation line', (t) => {
  const svgDir = mkdtempSync(join(tmpdir(), 'itimer-probe-'));
  t.teardown(() => rmSync(svgDir, { recursive: true, force: true }));
  const svg = join(svgDir, 'plot.svg');
  const r = itimer('probe', '--samples', '3', '--delay', '1', '--clock', 'timerfd', '--svg', svg);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^Where your code resumes: µs after the deadline/);
  t.regex(r.stdout, /\n +1 ms {2}setTimer +callback +\S+/);
  t.regex(r.stdout, /\n +1 ms {2}sleep +after await +\S+/);
  t.regex(r.stdout, /\nPromise resumption: /);
  t.regex(r.stdout, /\nThe first timer of a fresh process \(a 1 ms timer, 3 processes per row\)/);
  t.regex(r.stdout, /\nDiagnostic, not the headline: /);
  t.regex(r.stdout, /Recommended: --clock timerfd /);
  t.regex(readFileSync(svg, 'utf8'), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

test('probe: nanotimer not installed is a quiet "skipped", not a failure', (t) => {
  // Resolving 'nanotimer' fails in this process and, through execArgv, in its measuring processes.
  const hide = `data:text/javascript,${encodeURIComponent("import Module from 'node:module'; const resolve = Module._resolveFilename; Module._resolveFilename = function (request, ...rest) { if (request === 'nanotimer') throw Object.assign(new Error('hidden'), { code: 'MODULE_NOT_FOUND' }); return resolve.call(this, request, ...rest); };")}`;
  const r = spawnSync(process.execPath, ['--import', hide, bin, 'probe', '--json', '--samples', '2', '--delay', '1', '--clock', 'timerfd'], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { mechanisms: { id: string }[]; skipped: { id: string; reason: string }[] };
  t.deepEqual(report.skipped, [{ id: 'nanotimer', reason: 'not installed' }]);
  t.false(report.mechanisms.some((s) => s.id === 'nanotimer'));
  t.true(report.mechanisms.some((s) => s.id === 'setTimeout'));
  t.notRegex(r.stderr, /nanotimer|itimer: /);
});

test('exec: timers armed, then the command in place; 127 / 126 / 2 as shells do', (t) => {
  const alarmed = itimer('exec', '--alarm', '1', '--', 'sleep', '5');
  t.is(alarmed.signal, 'SIGALRM');
  const virtual = itimer('exec', '--itimer', 'virtual=0.1', '--', 'sh', '-c', 'while :; do :; done');
  t.is(virtual.signal, 'SIGVTALRM');
  const fine = itimer('exec', '--itimer', 'real=5,1', '--', 'sh', '-c', 'echo ran; exit 3');
  t.is(fine.status, 3);
  t.is(fine.stdout, 'ran\n');
  const missing = itimer('exec', '--', 'itimer-no-such-command');
  t.is(missing.status, 127);
  t.regex(missing.stderr, /^itimer: itimer-no-such-command: ENOENT/);
  t.is(itimer('exec', '--', '/etc/passwd').status, 126);
  for (const args of [['--'], ['--alarm', '1.5', '--', 'true'], ['--alarm', '-1', '--', 'true'], ['--itimer', 'wall=1', '--', 'true'], ['--itimer', 'real=x', '--', 'true']]) {
    t.is(itimer('exec', ...args).status, 2, args.join(' '));
  }
});

test('exec: --env NAME=VALUE sets a variable for the command only; a trampoline that cannot start exits 125 with one coded line', (t) => {
  const withEnv = itimer('exec', '--env', 'A=1', '--env', 'B=x=y', '--env', 'C=', '--', 'sh', '-c', 'echo "$A|$B|${C-unset}"');
  t.is(withEnv.status, 0, withEnv.stderr);
  t.is(withEnv.stdout, '1|x=y|\n');
  for (const setting of ['=1', 'NOVALUE']) t.is(itimer('exec', '--env', setting, '--', 'true').status, 2, setting);
  const bad = spawnSync(process.execPath, [bin, 'exec', '--alarm', '1', '--', 'true'], { encoding: 'utf8', env: { ...process.env, ITIMER_FFI: 'nonsense' } });
  t.is(bad.status, 125);
  t.is(bad.stderr, "itimer: exec: TypeError [ERR_INVALID_ARG_VALUE]: The argument 'ITIMER_FFI' must be one of 'koffi', 'ffi-napi'. Received 'nonsense'\n");
});

test('spawnWithTimers: a child_process child gets its own alarm through the trampoline', async (t) => {
  const { spawnWithTimers } = await import('../src/index.js');
  const child = spawnWithTimers('sleep', ['5'], { alarm: 1 }, { stdio: 'ignore' });
  const [status, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  t.is(status, null);
  t.is(signal, 'SIGALRM');
});

test("an option error prints that command's usage, not the top-level help; 'itimer help COMMAND' works", (t) => {
  const bad = itimer('probe', '--bogus');
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^itimer: Unknown option '--bogus'/);
  t.regex(bad.stderr, /Usage: itimer probe /);
  t.notRegex(bad.stderr, /Usage: itimer <command>/);
  for (const command of ['backends', 'probe', 'conformance', 'exec']) {
    const help = itimer('help', command);
    t.is(help.status, 0);
    t.true(help.stdout.startsWith(`Usage: itimer ${command} `), help.stdout);
  }
  t.is(itimer('help', 'nope').status, 2);
});
