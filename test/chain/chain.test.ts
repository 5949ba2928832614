/**
 * Chain semantics on a private chain with the virtual backend (deterministic), and host
 * re-arming on a recording backend.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import type { AlarmBackend } from '../../src/backends/index.js';
import { TimerChain } from '../../src/chain/chain.js';
import { Waiter } from '../../src/chain/waiter.js';
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
    import { TimerChain } from './src/chain/chain.ts';
    import { Waiter } from './src/chain/waiter.ts';
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
  const host = { wake: () => {} };
  const backend: AlarmBackend = {
    name: 'libuv',
    description: 'recording',
    start: (onAlarm) => {
      host.wake = onAlarm;
      calls.push('start');
    },
    stop: () => calls.push('stop'),
    rearm: (_target, delta) => calls.push(`rearm ${delta}`),
    disarm: () => calls.push('disarm'),
  };
  return { backend, calls, host };
}

/** Lets the chain's deferred host re-arm (a microtask) run. */
const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

test('lazy host re-arm: a burst of head arms costs one re-arm, after the burst, never below the rearm floor', async (t) => {
  const chain = new TimerChain({ rearmFloorNs: 1_000_000 });
  const { backend, calls } = recordingBackend();
  chain.start(backend);
  const now = chain.now();
  for (let i = 100; i > 0; i--) at(chain, now + i * 1e9, () => {}); // each one a new head
  t.is(calls.length, 1, 'nothing re-armed during the burst');
  await microtasks();
  t.is(chain.stats.rearms, 1);
  t.true(Number(calls[1]!.split(' ')[1]) > 0.5e9, calls[1]); // the head's 1 s, less however long this loaded machine took to get here
  at(chain, chain.now() + 1000, () => {}); // a new head inside the floor
  await microtasks();
  t.is(calls.at(-1), 'rearm 1000000', 'clamped to the floor');
  t.is(chain.stats.rearms, 2);
});

test('lazy host re-arm: cancelling the head costs no syscall; a later head is served by a poke then a re-arm', async (t) => {
  const chain = new TimerChain({ rearmFloorNs: 0 });
  const { backend, calls, host } = recordingBackend();
  chain.start(backend);
  const first = at(chain, chain.now() + 1e9, () => {});
  await microtasks();
  t.is(chain.stats.rearms, 1);
  chain.cancel(first); // the head: the host stays armed
  at(chain, chain.now() + 2e9, () => {}); // fires later than the host: no re-arm either
  await microtasks();
  t.is(chain.stats.rearms, 1, calls.join(', '));
  host.wake(); // the early wake-up finds nothing due: a poke, then a re-arm for the new head
  t.is(chain.stats.pokes, 1);
  t.is(chain.stats.rearms, 2);
});

test('refreshHost re-arms synchronously, and disarms a host armed for an emptied chain', (t) => {
  const chain = new TimerChain();
  const { backend, calls } = recordingBackend();
  chain.start(backend);
  const w = at(chain, chain.now() + 1e9, () => {});
  chain.refreshHost();
  chain.cancel(w);
  t.deepEqual(calls.slice(1).map((c) => c.split(' ')[0]), ['rearm']);
  chain.refreshHost();
  chain.refreshHost();
  t.deepEqual(calls.slice(1).map((c) => c.split(' ')[0]), ['rearm', 'disarm'], 'once');
});

test('cancel wins: a waiter cancelled by a sibling of the same pass does not run, and cancel returns true', (t) => {
  const chain = virtualChain();
  const ran: string[] = [];
  let cancelled: boolean | undefined;
  at(chain, 10, () => {
    ran.push('first');
    cancelled = chain.cancel(second);
  });
  const second = at(chain, 10, () => ran.push('second'));
  at(chain, 10, () => ran.push('third'));
  chain.tick(10);
  t.deepEqual(ran, ['first', 'third']);
  t.true(cancelled);
  t.false(second.armed);
  t.false(chain.cancel(second), 'already removed');
});

test('cancel wins also when the sibling is re-armed: it runs at its new deadline, in a later pass', (t) => {
  const chain = virtualChain();
  const ran: string[] = [];
  at(chain, 10, (now) => {
    ran.push(`first@${now}`);
    t.true(chain.rearmAbsolute(second, 5)); // into the past: the next pass, not this one
  });
  const second = at(chain, 10, (now) => ran.push(`second@${now}`));
  t.true(chain.next());
  t.deepEqual(ran, ['first@10']);
  t.true(chain.next());
  t.deepEqual(ran, ['first@10', 'second@10']);
});

test('spin on virtual time: accepted, no effect — timers run at their deadlines, in order', (t) => {
  const chain = virtualChain();
  const ran: string[] = [];
  const spinner = new Waiter((now) => ran.push(`spin@${now}`));
  spinner.spin = 500;
  spinner.deadlineNs = 1000;
  chain.arm(spinner);
  at(chain, 800, (now) => ran.push(`plain@${now}`));
  chain.runAll();
  t.deepEqual(ran, ['plain@800', 'spin@1000']);
  t.is(chain.stats.spins, 0);
});

test('a spinning waiter is woken its margin early, then busy-waited to its deadline: never early, counted', (t) => {
  const chain = new TimerChain({ rearmFloorNs: 0 });
  const { backend, calls } = recordingBackend();
  chain.start(backend);
  const ran: { deadline: number; at: number; name: string }[] = [];
  const deadline = chain.now() + 3e6;
  const spinner = new Waiter((now) => ran.push({ deadline, at: now, name: 'spinner' }));
  spinner.keepsAlive = false;
  spinner.spin = 2e6;
  spinner.deadlineNs = deadline;
  chain.arm(spinner);
  const plain = at(chain, deadline - 1, (now) => ran.push({ deadline: deadline - 1, at: now, name: 'plain, inside the spin window' }));
  chain.refreshHost();
  t.true(Number(calls.at(-1)!.split(' ')[1]) <= 1e6 + 1000, `host armed the margin early: ${calls.at(-1)}`);
  while (chain.now() < deadline - 2e6);
  const passStartedNs = chain.now();
  chain.runPass();
  t.deepEqual(ran.map((r) => r.name), ['plain, inside the spin window', 'spinner'], 'deadline order');
  for (const r of ran) t.true(r.at >= r.deadline, `${r.name} ran ${r.deadline - r.at} ns early`);
  t.false(plain.armed);
  // A descheduled test process may reach the pass after the deadline: nothing to wait for then.
  if (passStartedNs < deadline - 1) {
    t.true(chain.stats.spins >= 1);
    t.true(chain.stats.spinNs > 0);
  }
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

test('a refused arm() of an armed waiter changes no state: its automatic spin margin stays the one it was armed with', (t) => {
  const chain = new TimerChain({ rearmFloorNs: 0 });
  const { backend, host } = recordingBackend();
  chain.start(backend);
  at(chain, chain.now() + 1e12, () => {}); // far away: every wake-up below is early, so the margin drops to its minimum
  const spinner = new Waiter(() => {});
  spinner.keepsAlive = false;
  spinner.spin = -1;
  spinner.deadlineNs = chain.now() + 1e11;
  chain.arm(spinner);
  const armedWith = spinner.spinMarginNs;
  for (let i = 0; i < 16; i++) {
    chain.refreshHost();
    host.wake();
  }
  t.not(chain.autoSpinMarginNs, -armedWith, 'the automatic margin has moved');
  t.throws(() => chain.arm(spinner), { code: 'ERR_ITIMER_ALREADY_ARMED' });
  t.is(spinner.spinMarginNs, armedWith);
});

test("an armed waiter's spin is changed through the chain, which re-keys it at once; the setter refuses it while armed", (t) => {
  const chain = virtualChain();
  const a = at(chain, 1_000_000, () => {});
  at(chain, 2_000_000, () => {});
  const c = at(chain, 2_500_000, () => {});
  t.throws(() => (c.spin = 2_000_000), { code: 'ERR_ITIMER_ALREADY_ARMED' });
  t.is(c.spin, 0, 'unchanged');
  chain.setSpin(c, 2_000_000);
  t.is(chain.head, c, 'woken at 0.5 ms, before a');
  chain.setSpin(c, 0);
  t.is(chain.head, a);
  for (const bad of ['1', null]) t.throws(() => chain.setSpin(c, bad as never), { code: 'ERR_INVALID_ARG_TYPE' });
  for (const bad of [1.5, Number.NaN, 2_000_001]) t.throws(() => chain.setSpin(c, bad), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => chain.setSpin({} as never, 0), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(c.spin, 0, 'refused inputs changed nothing');
  chain.setSpin(c, -1);
  t.is(c.spin, -1);
  const idle = new Waiter(() => {});
  chain.setSpin(idle, 500);
  t.is(idle.spin, 500);
});

test('rearmAbsolute: a wrong-type deadline is ERR_INVALID_ARG_TYPE, a non-finite one ERR_OUT_OF_RANGE; the waiter is left as it was', (t) => {
  const chain = virtualChain();
  const w = at(chain, 10, () => {});
  for (const bad of ['5', 5n, null, undefined]) t.throws(() => chain.rearmAbsolute(w, bad as never), { code: 'ERR_INVALID_ARG_TYPE', instanceOf: TypeError });
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) t.throws(() => chain.rearmAbsolute(w, bad), { code: 'ERR_OUT_OF_RANGE', instanceOf: RangeError });
  t.true(w.armed);
  t.is(w.deadlineNs, 10);
  const unarmed = new Waiter(() => {});
  t.throws(() => (unarmed.deadlineNs = '10' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => (unarmed.deadlineNs = Number.NaN), { code: 'ERR_OUT_OF_RANGE' });
  t.is(unarmed.deadlineNs, 0, 'a refused deadline changes nothing');
  t.throws(() => (w.deadlineNs = 20), { code: 'ERR_ITIMER_ALREADY_ARMED' }, 'the deadline of an armed waiter is read-only');
  t.is(w.deadlineNs, 10);
  t.false(unarmed.armed);
});

test('stepVirtual refuses a target that is not a finite number, and changes nothing', (t) => {
  const chain = virtualChain();
  at(chain, 10, () => {});
  chain.tick(5);
  for (const bad of ['7', undefined, 7n]) t.throws(() => chain.stepVirtual(bad as never), { code: 'ERR_INVALID_ARG_TYPE' });
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) t.throws(() => chain.stepVirtual(bad), { code: 'ERR_OUT_OF_RANGE' });
  t.is(chain.now(), 5);
  t.is(chain.size, 1);
  t.false(chain.stepVirtual(7));
  t.is(chain.now(), 7);
  t.throws(() => new TimerChain().stepVirtual(Number.NaN), { code: 'ERR_ITIMER_NOT_VIRTUAL' }, 'the backend is checked first');
});

test('ownership: a Timer armed periodically on a private chain stays on it (its re-arm, cancel and refresh go there); another chain refuses it while armed', async (t) => {
  const { Timer, getChain } = await import('../../src/chain/index.js');
  const chain = virtualChain();
  const firings: number[] = [];
  const timer = new Timer(() => firings.push(chain.now()), { ref: false }).setAbsolute(10).setInterval(10n);
  chain.arm(timer);
  chain.tick(35);
  t.deepEqual(firings, [10, 20, 30]);
  t.true(timer.armed);
  t.is(getChain().size, 0, 'nothing moved to the process chain');
  const other = virtualChain();
  t.throws(() => other.cancel(timer), { code: 'ERR_ITIMER_FOREIGN_TIMER' });
  t.throws(() => other.arm(timer), { code: 'ERR_ITIMER_FOREIGN_TIMER' });
  t.throws(() => other.setSpin(timer, 0), { code: 'ERR_ITIMER_FOREIGN_TIMER' });
  t.throws(() => other.rearmAbsolute(timer, 5), { code: 'ERR_ITIMER_FOREIGN_TIMER' });
  t.true(timer.armed, 'a refused call changes nothing');
  chain.verify();
  t.true(timer.cancel());
  t.is(chain.size, 0);
  other.arm(timer); // idle: any chain may arm it
  t.is(other.size, 1);
});

test('ownership: the spin setter validates like setSpin (NaN, {}, Infinity, above 2 ms refused, nothing changed); keepsAlive goes through the chain', (t) => {
  const chain = virtualChain();
  const waiter = new Waiter(() => {});
  for (const [bad, code] of [[Number.NaN, 'ERR_OUT_OF_RANGE'], [{}, 'ERR_INVALID_ARG_TYPE'], [Number.POSITIVE_INFINITY, 'ERR_OUT_OF_RANGE'], [5e9, 'ERR_OUT_OF_RANGE'], [1.5, 'ERR_OUT_OF_RANGE']] as const) {
    t.throws(() => (waiter.spin = bad as never), { code }, String(bad));
    t.is(waiter.spin, 0);
  }
  t.throws(() => (waiter.keepsAlive = 'yes' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  waiter.deadlineNs = 10;
  chain.arm(waiter);
  waiter.keepsAlive = false;
  waiter.keepsAlive = true;
  chain.verify();
  t.throws(() => (waiter.spin = 1000), { code: 'ERR_ITIMER_ALREADY_ARMED' });
  chain.runAll();
  t.false(waiter.armed);
});

test('verify() finds a corrupted heap (the check the model test and the fuzz run after every mutation)', (t) => {
  const chain = virtualChain();
  const a = at(chain, 10, () => {});
  at(chain, 20, () => {});
  chain.verify();
  a.dueNs = 30; // behind the accessors' back, as the old public field allowed
  t.throws(() => chain.verify(), { message: /stored key|before its parent/ });
  a.dueNs = 10;
  chain.verify();
});
