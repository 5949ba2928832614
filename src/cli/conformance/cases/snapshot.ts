/**
 * V8 startup snapshot case: the Node analogue of a fork child, via the atfork phases.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceCase } from '../framework.js';
import { man, source } from '../framework.js';

/** The itimer entry point next to these cases (src/index.ts under tsx, dist/index.js built). */
const entry = fileURLToPath(new URL(`../../../index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/** The project directory: where `koffi` and `esbuild` resolve from. */
const projectDir = fileURLToPath(new URL('../../../../', import.meta.url));

/** The timer's delay, from its arming in the builder. */
const DELAY_S = 2.5;
/** Time the restored process needs before its deadline to move onto the best backend (the FFI loads on its first turn, ~5 ms). */
const MARGIN_MS = 250;
/** What the restored process prints when its deadline is closer than that. */
const LATE = 'restored too late to move backends first';

const SCRIPT = `
  import { startupSnapshot } from 'node:v8';
  import { activeAlarm, chainNow, registerAtFork, setTimer } from ${JSON.stringify(entry)};
  const armedAt = chainNow();
  registerAtFork({ before: () => console.log('before: chain on', activeAlarm()), afterInChild: () => console.log('afterInChild') });
  const timer = setTimer(() => {
    const early = chainNow() < timer.deadlineNs;
    const seconds = (chainNow() - armedAt) / 1e9;
    console.log('fired on', activeAlarm(), early ? 'EARLY' : 'not early', seconds >= ${DELAY_S} ? 'at or after its deadline from the builder' : seconds);
  }, ${DELAY_S * 1000});
  console.log('building: chain on', activeAlarm());
  startupSnapshot.setDeserializeMainFunction(() => {
    console.log('main: chain on', activeAlarm(), 'timer armed', timer.armed);
    if (timer.deadlineNs - chainNow() < ${MARGIN_MS * 1e6}) console.log('${LATE}');
  });
`;

export const snapshotCases: ConformanceCase[] = [
  {
    id: 'snapshot/timers-reinit',
    title:
      'a timer armed while a V8 startup snapshot is built (libuv: no FFI in the builder) keeps its deadline and fires on the best backend in the process that deserialises it; atfork before / afterInChild fire',
    references: [source('Node', 'node --build-snapshot'), source('QEMU', 'reinit_timers'), man('pthread_atfork(3)', 'phases (itimer docs/process.md)')],
    run() {
      let esbuild: string;
      try {
        esbuild = join(createRequire(join(projectDir, 'package.json')).resolve('esbuild/package.json'), '../bin/esbuild');
      } catch {
        return {
          expected: 'a bundled snapshot entry',
          got: '',
          skipped: 'needs esbuild (a development dependency of itimer) to bundle the snapshot entry; not installed here',
        };
      }
      const dir = mkdtempSync(join(tmpdir(), 'itimer-snapshot-'));
      try {
        writeFileSync(join(dir, 'entry.mjs'), SCRIPT);
        execFileSync(esbuild, [join(dir, 'entry.mjs'), '--bundle', '--platform=node', '--format=cjs', `--outfile=${join(dir, 'entry.cjs')}`, '--log-level=error', '--external:koffi', '--external:@2060.io/*']);
        const blob = join(dir, 'snapshot.blob');
        const build = execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(dir, 'entry.cjs')], { cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const run = execFileSync(process.execPath, ['--snapshot-blob', blob], { cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        if (run.includes(LATE)) {
          // Building and restoring took this (loaded) machine most of the delay: the timer was
          // due before the restored chain could move onto its best backend, so which backend
          // fires it says nothing about reinit. Not a failure of the library.
          return { expected: '', got: '', skipped: `the snapshot was restored less than ${MARGIN_MS} ms before the timer's ${DELAY_S} s deadline (a loaded machine)` };
        }
        return {
          expected:
            'building: chain on libuv; before: chain on libuv | afterInChild; main: chain on libuv timer armed true; fired on timerfd not early at or after its deadline from the builder',
          got: `${build.trim().split('\n').join('; ')} | ${run.trim().split('\n').join('; ')}`,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
