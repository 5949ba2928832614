/**
 * V8 startup snapshots: itimer bundled into a snapshot entry, a timer armed while building,
 * then the snapshot run in a new process — the Node analogue of a fork child.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('a timer armed in the snapshot builder (libuv) keeps its deadline and fires on the best backend after deserialisation', (t) => {
  t.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'itimer-snapshot-'));
  writeFileSync(
    join(dir, 'entry.ts'),
    `
    import { startupSnapshot } from 'node:v8';
    import { activeAlarm, chainNow, registerAtFork, setTimer } from ${JSON.stringify(join(root, 'src/index.ts'))};
    const armedAt = chainNow();
    registerAtFork({ before: () => console.log('before: chain on', activeAlarm()), afterInChild: () => console.log('afterInChild') });
    const timer = setTimer(() => {
      const late = chainNow() - timer.deadlineNs;
      console.log('fired on', activeAlarm(), late >= 0 ? 'not early' : 'EARLY', 'after', Math.round((chainNow() - armedAt) / 1e8) / 10, 's');
    }, 1500);
    console.log('building: chain on', activeAlarm());
    startupSnapshot.setDeserializeMainFunction(() => console.log('main: chain on', activeAlarm(), 'timer armed', timer.armed));
    `,
  );
  const esbuild = join(root, 'node_modules/.bin/esbuild');
  execFileSync(esbuild, [join(dir, 'entry.ts'), '--bundle', '--platform=node', '--format=cjs', `--outfile=${join(dir, 'entry.cjs')}`, '--log-level=error', '--external:koffi', '--external:@2060.io/*']);
  const blob = join(dir, 'snapshot.blob');
  const built = execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(dir, 'entry.cjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  t.is(built.trim(), 'building: chain on libuv\nbefore: chain on libuv');
  // Run from the project directory: the FFI package resolves from the current directory there.
  const ran = execFileSync(process.execPath, ['--snapshot-blob', blob], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  t.deepEqual(ran.slice(0, 2), ['afterInChild', 'main: chain on libuv timer armed true']);
  const [, backend, early, seconds] = /^fired on (\w+) (not early|EARLY) after ([\d.]+) s$/.exec(ran[2] ?? '') ?? [];
  t.is(backend, 'timerfd', ran.join(' / '));
  t.is(early, 'not early');
  t.true(Number(seconds) >= 1.5 && Number(seconds) < 10, `the deadline counted from arming in the builder: ${seconds} s`);
});
