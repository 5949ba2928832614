/**
 * The chain against a reference model on virtual time (see model.ts for the rules): never
 * early, deadline order with FIFO ties, cancel wins over a collected waiter, a re-arm into the
 * past inside a callback runs in the next pass, a throw loses no other waiter.
 */
import { execFile } from 'node:child_process';
import test from 'ava';

test('model: random programs of arm/cancel/rearmAbsolute/tick with re-arming, cancelling and throwing callbacks match the reference model (the chain and the QEMU virtual clock)', async (t) => {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [...process.execArgv, new URL('model.ts', import.meta.url).pathname, '--programs', '1500'],
      // ITIMER_DEBUG_HEAP: every mutation of a list checks the heap invariants (Go's timers.verify).
      { encoding: 'utf8', timeout: 50_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ITIMER_DEBUG_HEAP: '1' } },
      (_error, out, err) => resolve({ stdout: out, stderr: err }),
    ),
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as { programs: number; onClock: number; events: number; thrown: number; failed: number; mismatches: string[] } | null;
  if (!result) return t.fail(stderr);
  t.is(result.programs, 1500);
  t.true(result.onClock > 500 && result.onClock < 1000, 'about half the programs run on the QEMU virtual clock');
  t.true(result.events > 5000, 'the programs fire timers');
  t.true(result.thrown > 100, 'and callbacks throw');
  t.deepEqual(result.mismatches, [], `${result.failed} of ${result.programs} programs differ from the model`);
});
