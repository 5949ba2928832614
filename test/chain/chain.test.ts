/**
 * Chain semantics on a private chain with the virtual backend (deterministic), and host
 * re-arming on a recording backend.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import type { AlarmBackend } from '../../src/backends/index.js';
import { TimerChain, Waiter } from '../../src/chain/chain.js';
import { virtualBackend } from '../../src/backends/virtual.js';

function virtualChain(): TimerChain {
  const chain = new TimerChain();
  chain.start(virtualBackend());
  return chain;
}

function at(chain: TimerChain, deadlineNs: number, callback: (nowNs: number) => void): Waiter {
  const waiter = new Waiter(callback);
  waiter.keepsAlive = false;
  waiter.deadlineNs = deadlineNs;
  chain.arm(waiter);
  return waiter;
}

test('waiters run in deadline order; equal deadlines in arming order (FIFO)', (t) => {
  const chain = virtualChain();
  const order: string[] = [];
  at(chain, 30, () => order.push('c'));
  at(chain, 10, () => order.push('a1'));
  at(chain, 20, () => order.push('b'));
  at(chain, 10, () => order.push('a2'));
  at(chain, 10, () => order.push('a3'));
  chain.runAll();
  t.deepEqual(order, ['a1', 'a2', 'a3', 'b', 'c']);
});

test('a waiter never runs before its deadline, and runs at it', (t) => {
  const chain = virtualChain();
  const ranAt: number[] = [];
  at(chain, 1000, (now) => ranAt.push(now));
  chain.tick(999);
  t.deepEqual(ranAt, []);
  chain.tick(1);
  t.deepEqual(ranAt, [1000]);
});

test('cancel: true before firing, false after, false from its own callback', (t) => {
  const chain = virtualChain();
  const early = at(chain, 10, () => {});
  t.true(chain.cancel(early));
  t.false(chain.cancel(early), 'already removed');
  let fromCallback: boolean | undefined;
  const self: Waiter = at(chain, 20, () => (fromCallback = chain.cancel(self)));
  chain.runAll();
  t.false(fromCallback, 'running');
  t.false(chain.cancel(self), 'fired');
  t.is(chain.running, null);
});

test('a waiter re-armed into the past inside a callback runs in the next pass, not this one', (t) => {
  const chain = virtualChain();
  const events: string[] = [];
  const again: Waiter = at(chain, 10, (now) => {
    events.push(`first@${now}`);
    if (events.length === 1) chain.rearmAbsolute(again, 5); // already past
  });
  at(chain, 10, () => events.push(`sibling, again armed=${again.armed}`));
  t.is(chain.next(), true);
  t.deepEqual(events, ['first@10', 'sibling, again armed=true']);
  chain.next();
  t.deepEqual(events, ['first@10', 'sibling, again armed=true', 'first@10']);
});

test('rearmAbsolute reports whether the waiter was still armed', (t) => {
  const chain = virtualChain();
  let runs = 0;
  const w = at(chain, 10, () => runs++);
  t.true(chain.rearmAbsolute(w, 50));
  chain.tick(20);
  t.is(runs, 0);
  chain.tick(30);
  t.is(runs, 1);
  t.false(chain.rearmAbsolute(w, 100));
  chain.runAll();
  t.is(runs, 2);
});

test('a throwing callback loses no other waiter; its error surfaces as an uncaught exception, like a timer error', (t) => {
  const script = `
    import { TimerChain, Waiter } from './src/chain/chain.ts';
    import { virtualBackend } from './src/backends/virtual.ts';
    const chain = new TimerChain();
    chain.start(virtualBackend());
    const ran = [];
    const at = (deadline, fn) => { const w = new Waiter(fn); w.keepsAlive = false; w.deadlineNs = deadline; chain.arm(w); };
    at(10, () => { throw new Error('boom'); });
    at(10, () => ran.push('same pass'));
    at(20, () => ran.push('later'));
    process.on('uncaughtException', (e) => console.log('uncaught', e.message, 'after', ran.join(', ')));
    chain.runAll();
  `;
  const result = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  t.is(result.stdout.trim(), 'uncaught boom after same pass, later', result.stderr);
});

test('a pass with nothing due is a harmless poke', (t) => {
  const chain = virtualChain();
  let runs = 0;
  at(chain, 100, () => runs++);
  chain.runPass();
  chain.runPass();
  t.is(runs, 0);
  t.is(chain.stats.pokes, 2);
  t.is(chain.size, 1);
});

test('runAll stops a timer that re-arms itself forever with a clear error', (t) => {
  const chain = virtualChain();
  const w: Waiter = at(chain, 1, (now) => chain.rearmAbsolute(w, now + 1));
  t.throws(() => chain.runAll(50), { code: 'ERR_ITIMER_LOOP_LIMIT', message: /Aborting after 50 timer passes/ });
  t.throws(() => chain.tick(1e9, 50), { code: 'ERR_ITIMER_LOOP_LIMIT' });
});

test('driving time on a real backend is refused', (t) => {
  const chain = new TimerChain();
  t.throws(() => chain.tick(1), { code: 'ERR_ITIMER_NOT_VIRTUAL' });
});

/** A backend that records what the chain asks of it. */
function recordingBackend() {
  const calls: string[] = [];
  const backend: AlarmBackend = {
    name: 'libuv',
    description: 'recording',
    start: () => calls.push('start'),
    stop: () => calls.push('stop'),
    rearm: (_target, delta) => calls.push(`rearm ${delta}`),
    disarm: () => calls.push('disarm'),
  };
  return { backend, calls };
}

test('the host is re-armed only when the head changes, never below the rearm floor', (t) => {
  const chain = new TimerChain({ rearmFloorNs: 1_000_000 });
  const { backend, calls } = recordingBackend();
  chain.start(backend);
  const now = chain.now();
  const far = at(chain, now + 10e9, () => {});
  at(chain, now + 20e9, () => {}); // not the head: no re-arm
  at(chain, now + 30e9, () => {});
  const soon = at(chain, now + 1000, () => {}); // new head, but inside the floor
  chain.cancel(far); // not the head: no re-arm
  chain.cancel(soon); // head changes back
  const rearms = calls.filter((c) => c.startsWith('rearm'));
  t.is(rearms.length, 3, calls.join(', '));
  t.is(rearms[1], 'rearm 1000000', 'clamped to the floor');
  t.is(chain.stats.rearms, 3);
});

test('an emptied chain disarms the host once', (t) => {
  const chain = new TimerChain();
  const { backend, calls } = recordingBackend();
  chain.start(backend);
  const w = at(chain, chain.now() + 1e9, () => {});
  chain.cancel(w);
  t.deepEqual(calls.slice(1).map((c) => c.split(' ')[0]), ['rearm', 'disarm']);
});

test('start moves waiters to a new backend with their deadlines (QEMU reinit_timers)', (t) => {
  const chain = new TimerChain();
  const first = recordingBackend();
  chain.start(first.backend);
  at(chain, chain.now() + 5e9, () => {});
  const second = recordingBackend();
  chain.start(second.backend);
  t.is(first.calls.at(-1), 'stop');
  t.deepEqual(second.calls.map((c) => c.split(' ')[0]), ['start', 'rearm']);
  t.true(Number(second.calls[1]!.split(' ')[1]) > 4.9e9);
});
