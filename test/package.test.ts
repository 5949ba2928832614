/**
 * The package as users get it: self-reference from the repository, and the packed tarball
 * installed with a plain `npm install` into fresh projects — ESM, CommonJS and strict
 * TypeScript — once with no compiler on PATH (koffi's prebuilt binary is all it needs;
 * the ffi-napi driver is an optional peer dependency, not installed), once with
 * `--ignore-scripts` (what npm 11's unapproved install scripts amount to), then the CLI's
 * conformance suite inside the consumer project. The links of the shipped guides resolve,
 * and the types hold no internals. Temporary directories are removed.
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The subpaths of package.json "exports" that are modules, with the file each is built to: `['itimer/posix', 'dist/posix.js']`. */
const entries = Object.entries((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> }).exports)
  .flatMap(([subpath, target]) => (typeof target === 'object' ? [[posix.join('itimer', subpath), target.default.slice(2), target.types.slice(2)] as const] : []));
/** The area subpaths, each a part of the root entry. */
const AREAS = ['itimer/posix', 'itimer/kqueue', 'itimer/clocks', 'itimer/devalarm'];

/**
 * A program that imports (or requires) every area subpath and the root, then prints, per
 * subpath, how many names it has and whether each is the root's very object.
 */
function sameObjectsProgram(load: (specifier: string) => string): string {
  return `const root = ${load('itimer')};
    for (const area of ${JSON.stringify(AREAS)}) {
      const module = ${load('area')};
      const names = Object.keys(module);
      console.log(area, names.length > 0 && names.every((name) => root[name] === module[name]));
    }`;
}

function node(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }).trim();
}

/** A temporary directory removed when the test ends. */
function tempDir(t: { teardown(fn: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A PATH with node, npm and a shell only (npm runs install scripts with sh): no cc, c++, make or python for node-gyp to find. */
function pathWithoutCompilers(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const nodeBin = dirname(process.execPath);
  for (const tool of ['node', 'npm', 'npx']) symlinkSync(join(nodeBin, tool), join(bin, tool));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  return bin;
}

test('the repository imports itself by name (after npm run build)', (t) => {
  t.is(node(root, '--input-type=module', '-e', "import { alarm } from 'itimer'; console.log(alarm(0));"), '0');
});

test('package.json exports the root, the four area subpaths, the two timer modules and register, each with its types', (t) => {
  t.deepEqual(entries.map(([subpath]) => subpath), ['itimer', ...AREAS, 'itimer/timers', 'itimer/promises', 'itimer/register']);
  for (const [subpath, file, types] of entries) {
    t.true(existsSync(join(root, file)), `${subpath}: ${file}`);
    t.is(types, file.replace(/\.js$/, '.d.ts'), `${subpath}: its types beside it`);
    t.true(existsSync(join(root, types)), `${subpath}: ${types}`);
  }
});

test('each area subpath is part of the root: the same objects, one copy of each module (ESM and CommonJS)', (t) => {
  const expected = AREAS.map((area) => `${area} true`).join('\n');
  t.is(node(root, '--input-type=module', '-e', sameObjectsProgram((s) => (s === 'area' ? 'await import(area)' : `await import('${s}')`))), expected);
  t.is(node(root, '-e', sameObjectsProgram((s) => (s === 'area' ? 'require(area)' : `require('${s}')`))), expected);
});

test('every relative link in the README and the guides points at a file the package ships', (t) => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--silent'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
  const shipped = new Set(report.files.map((file) => file.path));
  const documents = [...shipped].filter((path) => /^(README|docs\/[^/]+)\.md$/.test(path));
  t.true(documents.length >= 10, documents.join(' '));
  let links = 0;
  for (const document of documents) {
    for (const [, target] of readFileSync(join(root, document), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
      const path = posix.normalize(posix.join(posix.dirname(document), target!.replace(/#.*$/, '')));
      t.true(shipped.has(path), `${document} links to ${target}, which the package does not have`);
      links++;
    }
  }
  t.true(links >= 10, `${links} links checked`);
});

test('the tarball: a plain npm install with no compiler on PATH; ESM, CommonJS and strict TypeScript consumers; the bin; conformance in the consumer', (t) => {
  t.timeout(300_000);
  const packDir = tempDir(t, 'itimer-pack-');
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const packed = execFileSync('tar', ['-tzf', join(packDir, tarball)], { encoding: 'utf8' });
  t.regex(packed, /^package\/LICENSE$/m, 'the tarball has the license');
  t.regex(packed, /^package\/docs\/chain\.md$/m, 'and the guides the README links to');

  const project = tempDir(t, 'itimer-user-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', private: true, type: 'module' }));
  const env = { ...process.env, PATH: pathWithoutCompilers(project) };
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tarball), '@types/node@20.19.43'], { cwd: project, encoding: 'utf8', env });
  t.is(install.status, 0, install.stderr);
  const installed = readdirSync(join(project, 'node_modules'));
  t.false(installed.includes('@2060.io'), 'the ffi-napi driver is opt-in, not installed');

  t.is(node(project, '--input-type=module', '-e', "import { alarm, ITIMER_REAL } from 'itimer'; console.log(alarm(0), ITIMER_REAL);"), '0 0');
  // The entry points are bundled (scripts/bundle.js): each imports only shared chunks and builtins.
  for (const [, entry] of entries) {
    const imports = [...readFileSync(join(project, 'node_modules/itimer', entry), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]!);
    t.true(imports.length > 0 && imports.every((path) => /\/chunks\/chunk-\w+\.js$/.test(path) || path.startsWith('node:')), `${entry} imports ${imports.join(', ')}`);
  }
  // npm 11 asks users to approve install scripts: koffi's is not needed.
  const noScripts = tempDir(t, 'itimer-user-');
  writeFileSync(join(noScripts, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', private: true }));
  const bare = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tarball)], { cwd: noScripts, encoding: 'utf8', env });
  t.is(bare.status, 0, bare.stderr);
  t.is(node(noScripts, '-e', "const { setTimer } = require('itimer'); setTimer(() => console.log('fired with no install script run'), 1);"), 'fired with no install script run');
  t.is(node(project, '--input-type=module', '-e', "import { setTimeout } from 'itimer/timers'; import { setTimeout as wait } from 'itimer/promises'; setTimeout((a) => console.log(a), 1, 'timers'); console.log(await wait(2, 'promises'));"), 'timers\npromises');
  writeFileSync(join(project, 'cjs.cjs'), "const { getitimer } = require('itimer'); const { clearTimeout } = require('itimer/timers'); console.log(JSON.stringify(getitimer('real')), typeof clearTimeout);");
  t.is(node(project, 'cjs.cjs'), '{"value":{"sec":0,"usec":0},"interval":{"sec":0,"usec":0}} function');
  // itimer/register as a user switches it on: NODE_OPTIONS, for an ES module and a CommonJS program.
  const registered = { ...process.env, NODE_OPTIONS: '--import=itimer/register' };
  writeFileSync(join(project, 'app.mjs'), "import { setTimeout as imported } from 'node:timers'; const t = setTimeout(() => console.log('fired'), 1); console.log(typeof t.rearmAbsolute, imported === setTimeout);");
  t.is(execFileSync(process.execPath, ['app.mjs'], { cwd: project, encoding: 'utf8', env: registered }).trim(), 'function true\nfired');
  writeFileSync(join(project, 'app.cjs'), "const t = setTimeout(() => console.log('fired'), 1); console.log(typeof t.rearmAbsolute);");
  t.is(execFileSync(process.execPath, ['app.cjs'], { cwd: project, encoding: 'utf8', env: registered }).trim(), 'function\nfired');
  t.is(execFileSync(join(project, 'node_modules/.bin/itimer'), ['run', 'app.cjs'], { cwd: project, encoding: 'utf8', env }).trim(), 'function\nfired');
  // Each area subpath, from ESM and from CommonJS: a name of its own, and the root's objects.
  const areaUse = [
    "posix.alarm(0) === 0 && posix.clockGettime('CLOCK_MONOTONIC').sec >= 0",
    "typeof kqueue.Kqueue === 'function' && kqueue.EVFILT_TIMER === -7",
    "typeof clocks.ClockTimer === 'function' && clocks.virtualClock.ns >= 0",
    "typeof devalarm.openAlarmFile === 'function'",
  ].join(' && ');
  t.is(node(project, '--input-type=module', '-e', `import * as posix from 'itimer/posix'; import * as kqueue from 'itimer/kqueue'; import * as clocks from 'itimer/clocks'; import * as devalarm from 'itimer/devalarm'; console.log(${areaUse});`), 'true');
  t.is(node(project, '-e', `const [posix, kqueue, clocks, devalarm] = ${JSON.stringify(AREAS)}.map((s) => require(s)); console.log(${areaUse});`), 'true');
  const expected = AREAS.map((area) => `${area} true`).join('\n');
  t.is(node(project, '-e', sameObjectsProgram((s) => (s === 'area' ? 'require(area)' : `require('${s}')`))), expected, 'one copy of each module, from the installed package');
  const selectNapi = node(project, '--input-type=module', '-e', "import { alarm, selectFfiDriver } from 'itimer'; selectFfiDriver('ffi-napi'); try { alarm(0); } catch (e) { console.log(e.code, /npm install @2060.io\\/ffi-napi @2060.io\\/ref-napi/.test(e.message)); }");
  t.is(selectNapi, 'ERR_ITIMER_FFI_DRIVER true', 'selecting the absent driver says how to install it');

  // skipLibCheck off: every declaration file the public entry points reach is type-checked.
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023', 'ESNext.Disposable'], types: ['node'], noEmit: true }, files: ['main.ts'] }));
  writeFileSync(
    join(project, 'main.ts'),
    [
      "import { alarm, setTimer, virtualTime, type Timer } from 'itimer';",
      "import { setInterval, clearInterval, type Timeout } from 'itimer/timers';",
      "import { scheduler } from 'itimer/promises';",
      "import { setitimer, timerCreate, spawnWithTimers, isSyscallError, type Itimerval, type ExecTimers } from 'itimer/posix';",
      "import { Kqueue, EV_ADD, EVFILT_TIMER, type Kevent } from 'itimer/kqueue';",
      "import { ClockTimer, realtimeClock, SCALE_MS, type ClockType } from 'itimer/clocks';",
      "import { openAlarmFile, type AlarmEvent } from 'itimer/devalarm';",
      "const old: Itimerval = setitimer('real', { value: 0 });",
      "const limits: ExecTimers = { alarm: 5, itimers: { virtual: [2] } };",
      "const events: Promise<Kevent[]> = new Kqueue().kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: 5 }], 0);",
      "const kind: ClockType = realtimeClock.type;",
      "const clockTimer = new ClockTimer(realtimeClock, SCALE_MS, () => {});",
      "const pending: AlarmEvent[] = [];",
      "console.log(old, limits, events, kind, clockTimer, pending, typeof timerCreate, typeof spawnWithTimers, isSyscallError(null), typeof openAlarmFile);",
      'const previous: number = alarm(0);',
      'const timer: Timer = setTimer((overrun: number) => console.log(overrun, previous), { us: 250 }, { spin: true });',
      'const tick: Timeout = setInterval((label: string) => label, 5, "x");',
      'clearInterval(tick);',
      'timer.cancel();',
      'await scheduler.wait(1);',
      'virtualTime.nowNs();',
    ].join('\n'),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  t.is(tsc.status, 0, tsc.stdout + tsc.stderr);
  // Internals are stripped from the types (stripInternal): a consumer cannot reach them.
  writeFileSync(join(project, 'internal.ts'), "import { Waiter } from 'itimer';\nconst w = new Waiter(() => {});\nconsole.log(w.heapIndex, w.seq);\n");
  const internal = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node', 'internal.ts'], { cwd: project, encoding: 'utf8' });
  t.regex(internal.stdout, /Property 'heapIndex' does not exist on type 'Waiter'/, internal.stdout + internal.stderr);
  t.regex(internal.stdout, /Property 'seq' does not exist on type 'Waiter'/);

  t.regex(execFileSync(join(project, 'node_modules/.bin/itimer'), ['--version'], { encoding: 'utf8', env }), /^\d+\.\d+\.\d+\n$/);
  const conformance = spawnSync(join(project, 'node_modules/.bin/itimer'), ['conformance'], { cwd: project, encoding: 'utf8', env });
  // On failure, the failing rows of the report (a row runs from one rule line to the next).
  const failingRows = conformance.stdout.split(/^-+\+.*$/m).filter((row) => /^\s*FAIL\b/m.test(row)).join('\n');
  t.is(conformance.status, 0, (failingRows || conformance.stdout.slice(-3000)) + conformance.stdout.slice(-200) + conformance.stderr);
  t.regex(conformance.stdout, /\n\d+ passed, 0 failed, 1 skipped\n$/, 'the snapshot case is skipped (esbuild is a development dependency), and nothing fails');
});
