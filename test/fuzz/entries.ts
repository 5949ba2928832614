/**
 * Every public entry point of itimer (the exports of src/index.ts, and of the itimer/timers
 * and itimer/promises subpaths), as fuzz entries: how to
 * call it with adversarial arguments, what state it could change (compared before and after
 * a refused call), and how to undo an accepted call. Entries run in a child process (see
 * main.ts), grouped by what they may do to that process:
 *
 * - `host`: the calls that cannot kill or replace the process, on the default backend;
 * - `virtual`: the same calls after `configureAlarms('virtual')`;
 * - `signals`: alarms, interval timers, dispositions, masks and waits (the child has
 *   sigaction handlers for SIGALRM, SIGVTALRM, SIGPROF and SIGUSR2, so no expiry can end it);
 * - `exec`: execve, execvp and spawnWithTimers (in an empty directory with an empty PATH).
 */
import fc from 'fast-check';
import * as itimer from '../../src/index.js';
import * as promises from '../../src/node/promises.js';
import * as timers from '../../src/node/timers.js';
import { adversarial } from './values.js';

const {
  AlarmEvents, AlarmFile, ClockTimer, Kqueue, PosixTimer, QemuClock, Timer, TimerChain, Waiter,
} = itimer;

/** The groups of entries, each run in its own child process. */
export type Group = 'host' | 'virtual' | 'signals' | 'exec';

/** One entry point under test. */
export interface Entry<S = unknown> {
  /** `name` for functions, `Class.new` for constructors, `Class#method` or `object.method` for methods. */
  name: string;
  groups: readonly Group[];
  /** One arbitrary per argument; positions default to {@link adversarial}, mixed with valid values. */
  args: readonly fc.Arbitrary<unknown>[];
  /** Makes the instance a method is called on (fresh each run). */
  setup?: () => S;
  /** Calls the entry. May return a promise (awaited briefly: a pending one counts as accepted). */
  call: (subject: S, args: unknown[]) => unknown;
  /** State of the subject that a refused call must leave as it was (besides the process state of main.ts). */
  observe?: (subject: S) => unknown;
  /** Releases the subject, and undoes an accepted call (`result` is what it returned; undefined when refused). */
  cleanup?: (subject: S, result: unknown, args: unknown[]) => void;
}

const noop = (): void => {};

/** An adversarial value, or (one time in three) one of `valid`. */
function arg(...valid: unknown[]): fc.Arbitrary<unknown> {
  return valid.length === 0 ? adversarial : fc.oneof({ weight: 2, arbitrary: adversarial }, { weight: 1, arbitrary: fc.constantFrom(...valid) });
}

const DELAYS = [0, 1, 5, 1e3, 10n, { us: 250 }, { ms: 1, ns: 5 }];

function closeQuietly(value: unknown): void {
  if (value && typeof value === 'object') {
    try {
      if (value instanceof Timer) value.close();
      else if (value instanceof AlarmFile || value instanceof Kqueue || value instanceof PosixTimer) value[Symbol.dispose]();
      else if (value instanceof ClockTimer) value.delete();
    } catch {
      // already closed
    }
  }
}

function timerState(timer: InstanceType<typeof Timer>): unknown {
  return [timer.armed, timer.deadlineNs, timer.intervalNs, timer.hasRef()];
}

function clockTimerState(timer: InstanceType<typeof ClockTimer>): unknown {
  return [timer.pending(), timer.expireTime(), timer.hasRef()];
}

function clockState(clock: InstanceType<typeof QemuClock>): unknown {
  return [clock.enabled, clock.hasTimers(), clock.deadline()];
}

const QEMU_CLOCKS = [itimer.realtimeClock, itimer.virtualClock, itimer.hostClock];
const IN_PROCESS: readonly Group[] = ['host', 'virtual'];

/** The entries; {@link EXCLUDED} names the exports left out, with the reason. */
export const ENTRIES: readonly Entry<any>[] = [
  // ---- posix (non-lethal) ----
  { name: 'getitimer', groups: ['host', 'signals'], args: [arg('real', 'virtual', 'prof', 0, 1, 2)], call: (_, [w]) => itimer.getitimer(w as never) },
  { name: 'clockGettime', groups: IN_PROCESS, args: [arg('CLOCK_MONOTONIC', 0, 1, -2)], call: (_, [c]) => itimer.clockGettime(c as never) },
  { name: 'clockGetres', groups: IN_PROCESS, args: [arg('CLOCK_REALTIME', 4)], call: (_, [c]) => itimer.clockGetres(c as never) },
  {
    name: 'setTimerSlack', groups: IN_PROCESS, args: [arg(0, 50_000, 1)],
    setup: () => itimer.getTimerSlack(), call: (_, [ns]) => itimer.setTimerSlack(ns as never),
    cleanup: (before: number) => itimer.setTimerSlack(before),
  },
  {
    name: 'timerCreate', groups: IN_PROCESS, args: [arg('CLOCK_MONOTONIC', 1), arg(undefined, { notify: 'none' }, { notify: 'signal', signal: 'SIGUSR2' })],
    call: (_, [c, e]) => itimer.timerCreate(c as never, e as never), cleanup: (_, timer) => closeQuietly(timer),
  },
  {
    name: 'PosixTimer.new', groups: IN_PROCESS, args: [arg(0), arg(1)],
    call: (_, [id, clock]) => new PosixTimer(id as never, clock as never),
  },
  {
    name: 'PosixTimer#settime', groups: IN_PROCESS, args: [arg({ value: 100 }, { value: 0 }, { value: { sec: 1, nsec: 5 }, interval: 1 }), arg(0, 1)],
    setup: () => itimer.timerCreate('CLOCK_MONOTONIC', { notify: 'none' }),
    call: (t, [spec, flags]) => t.settime(spec, flags), observe: (t) => t.gettime().interval, cleanup: (t) => t.delete(),
  },
  { name: 'toSeconds', groups: IN_PROCESS, args: [arg({ sec: 1, usec: 5 }, { sec: 1, nsec: 5 })], call: (_, [v]) => itimer.toSeconds(v as never) },
  { name: 'alarmSeconds', groups: IN_PROCESS, args: [arg({ sec: 1, usec: 600_000 })], call: (_, [v]) => itimer.alarmSeconds(v as never) },
  { name: 'signalNumber', groups: IN_PROCESS, args: [arg('SIGINT', 34), arg('sig')], call: (_, [s, n]) => itimer.signalNumber(s as never, n as never) },
  {
    name: 'registerAtFork', groups: IN_PROCESS, args: [arg({ before: noop }, { afterInChild: noop, afterInParent: noop })],
    call: (_, [h]) => itimer.registerAtFork(h as never), cleanup: (_, unregister) => typeof unregister === 'function' && unregister(),
  },
  { name: 'isSyscallError', groups: IN_PROCESS, args: [arg()], call: (_, [v]) => itimer.isSyscallError(v) },
  { name: 'ffiDriverName', groups: IN_PROCESS, args: [], call: () => itimer.ffiDriverName() },
  { name: 'selectFfiDriver', groups: IN_PROCESS, args: [arg(itimer.ffiDriverName())], call: (_, [n]) => itimer.selectFfiDriver(n as never) },
  { name: 'describeBackends', groups: IN_PROCESS, args: [arg(['timerfd', 'unix'], [])], call: (_, [o]) => itimer.describeBackends(o as never) },

  // ---- chain ----
  { name: 'delayToNs', groups: IN_PROCESS, args: [arg(...DELAYS), arg('delay')], call: (_, [d, n]) => itimer.delayToNs(d, n as never) },
  {
    name: 'setTimer', groups: IN_PROCESS, args: [arg(noop), arg(...DELAYS), arg(undefined, { ref: false }, { interval: true }, { interval: 5 }, { spin: true })],
    call: (_, [cb, d, o]) => itimer.setTimer(cb as never, d as never, o as never), cleanup: (_, timer) => closeQuietly(timer),
  },
  {
    name: 'clearTimer', groups: IN_PROCESS, args: [arg(undefined, 0)],
    setup: () => itimer.setTimer(noop, 1e6), call: (_, [t]) => itimer.clearTimer(t as never),
    observe: timerState, cleanup: (t) => t.close(),
  },
  {
    name: 'sleep', groups: IN_PROCESS, args: [arg(...DELAYS), arg(undefined, {}, { ref: false }, { signal: AbortSignal.abort() })],
    call: (_, [d, o]) => itimer.sleep(d as never, o as never),
  },
  {
    name: 'alarmSignal', groups: IN_PROCESS, args: [arg(...DELAYS), arg(undefined, { ref: false })],
    call: (_, [d, o]) => itimer.alarmSignal(d as never, o as never),
  },
  {
    name: 'Timer.new', groups: IN_PROCESS, args: [arg(noop), arg(undefined, { ref: false })],
    call: (_, [cb, o]) => new Timer(cb as never, o as never), cleanup: (_, t) => closeQuietly(t),
  },
  ...(['setRelative', 'setIncrement', 'setInterval'] as const).map((method): Entry<InstanceType<typeof Timer>> => ({
    name: `Timer#${method}`, groups: IN_PROCESS, args: [arg(...DELAYS)],
    setup: () => new Timer(noop), call: (t, [d]) => t[method](d as never), observe: timerState, cleanup: (t) => t.close(),
  })),
  ...(['setAbsolute', 'rearmAbsolute'] as const).map((method): Entry<InstanceType<typeof Timer>> => ({
    name: `Timer#${method}`, groups: IN_PROCESS, args: [arg(0, 1e9, itimer.chainNow() + 1e9)],
    setup: () => new Timer(noop), call: (t, [n]) => t[method](n as never), observe: timerState, cleanup: (t) => t.close(),
  })),
  {
    name: 'Timer#setAbsoluteUnix', groups: IN_PROCESS, args: [arg(new Date(Date.now() + 1e6), BigInt(Date.now()) * 1_000_000n)],
    setup: () => new Timer(noop), call: (t, [u]) => t.setAbsoluteUnix(u as never), observe: timerState, cleanup: (t) => t.close(),
  },
  {
    name: 'Waiter.new', groups: IN_PROCESS, args: [arg(noop)], call: (_, [cb]) => new Waiter(cb as never),
  },
  {
    name: 'TimerChain.new', groups: IN_PROCESS, args: [arg(undefined, {}, { rearmFloorNs: 0 })], call: (_, [o]) => new TimerChain(o as never),
  },
  // 'waiter' stands for a fresh Waiter of the run (a shared one would stay armed in an earlier run's chain).
  ...(['arm', 'cancel'] as const).map((method): Entry<ChainRun> => ({
    name: `TimerChain#${method}`, groups: IN_PROCESS, args: [arg('waiter')],
    setup: chainRun, call: (s, [w]) => s.chain[method](s.waiterFor(w)), observe: (s) => s.chain.size,
  })),
  {
    name: 'TimerChain#rearmAbsolute', groups: IN_PROCESS, args: [arg('waiter'), arg(0, 1e9)],
    setup: chainRun, call: (s, [w, n]) => s.chain.rearmAbsolute(s.waiterFor(w), n as never), observe: (s) => s.chain.size,
  },
  {
    name: 'TimerChain#setRef', groups: IN_PROCESS, args: [arg('waiter'), arg(true, false)],
    setup: chainRun, call: (s, [w, r]) => s.chain.setRef(s.waiterFor(w), r as never), observe: (s) => s.chain.size,
  },
  {
    name: 'TimerChain#setSpin', groups: IN_PROCESS, args: [arg('waiter'), arg(0, -1, 500)],
    setup: chainRun, call: (s, [w, n]) => s.chain.setSpin(s.waiterFor(w), n as never), observe: (s) => [s.chain.size, (s.waiterFor('waiter') as InstanceType<typeof Waiter>).spin],
  },
  {
    name: 'TimerChain#stepVirtual', groups: IN_PROCESS, args: [arg(0, 1e6)],
    setup: virtualChain, call: (c, [n]) => c.stepVirtual(n as never), observe: (c) => [c.now(), c.size, c.stats.passes],
  },
  {
    name: 'TimerChain#tick', groups: IN_PROCESS, args: [arg(0, 1e6), arg(undefined, 10)],
    setup: () => new TimerChain(), call: (c, [d, l]) => c.tick(d as never, l as never), observe: (c) => [c.size, c.stats.passes],
  },
  {
    name: 'TimerChain#runAll', groups: IN_PROCESS, args: [arg(undefined, 10)],
    setup: () => new TimerChain(), call: (c, [l]) => c.runAll(l as never), observe: (c) => [c.size, c.stats.passes],
  },
  {
    name: 'TimerChain#start', groups: IN_PROCESS, args: [arg()],
    setup: () => new TimerChain(), call: (c, [b]) => c.start(b as never), observe: (c) => c.backendName, cleanup: (c) => c.stop(),
  },
  {
    name: 'configureAlarms', groups: IN_PROCESS, args: [arg('help', 'timerfd', 'dynticks,timerfd')],
    setup: () => itimer.activeAlarm(), call: (_, [s]) => itimer.configureAlarms(s as never),
    cleanup: (before) => before && itimer.configureAlarms(before as string),
  },
  {
    name: 'setRearmFloor', groups: IN_PROCESS, args: [arg(0, 250_000)],
    setup: () => itimer.getChain().rearmFloorNs, call: (_, [n]) => itimer.setRearmFloor(n as never),
    observe: () => itimer.getChain().rearmFloorNs, cleanup: (before: number) => itimer.setRearmFloor(before),
  },
  { name: 'virtualTime.tick', groups: IN_PROCESS, args: [arg(...DELAYS), arg(undefined, 5)], call: (_, [d, l]) => itimer.virtualTime.tick(d as never, l as never) },
  { name: 'virtualTime.runAll', groups: IN_PROCESS, args: [arg(undefined, 5)], call: (_, [l]) => itimer.virtualTime.runAll(l as never) },
  { name: 'virtualTime.tickAsync', groups: IN_PROCESS, args: [arg(...DELAYS), arg(undefined, 5)], call: (_, [d, l]) => itimer.virtualTime.tickAsync(d as never, l as never) },
  { name: 'virtualTime.runAllAsync', groups: IN_PROCESS, args: [arg(undefined, 5)], call: (_, [l]) => itimer.virtualTime.runAllAsync(l as never) },

  // ---- itimer/timers and itimer/promises (the package's subpath exports) ----
  ...(['setTimeout', 'setInterval'] as const).map((fn): Entry => ({
    name: `timers:${fn}`, groups: IN_PROCESS, args: [arg(noop), arg(undefined, 0, 1, 2.5), arg(undefined, 'x')],
    call: (_, [cb, d, a]) => timers[fn](cb as never, d as never, a), cleanup: (_, t) => timers.clearTimeout(t as never),
  })),
  ...(['clearTimeout', 'clearInterval'] as const).map((fn): Entry<InstanceType<typeof timers.Timeout>> => ({
    name: `timers:${fn}`, groups: IN_PROCESS, args: [arg(undefined, null, 0, '1')],
    setup: () => timers.setTimeout(noop, 1e6), call: (_, [x]) => timers[fn](x as never), observe: timerState, cleanup: (t) => timers.clearTimeout(t),
  })),
  {
    name: 'timers:Timeout.new', groups: IN_PROCESS, args: [arg(noop), arg(1, 5), arg([], [1]), arg(true, false)],
    call: (_, [cb, d, a, r]) => new timers.Timeout(cb as never, d as never, a as never, r as never), cleanup: (_, t) => closeQuietly(t),
  },
  {
    name: 'promises:setTimeout', groups: IN_PROCESS, args: [arg(undefined, 0, 1, 1e6), arg(), arg(undefined, {}, { ref: false }, { signal: AbortSignal.abort() })],
    call: (_, [d, v, o]) => promises.setTimeout(d as never, v, o as never),
  },
  {
    // An async generator, as Node's: its arguments are checked by the first next().
    name: 'promises:setInterval', groups: IN_PROCESS, args: [arg(undefined, 1, 1e6), arg(), arg(undefined, {}, { ref: false })],
    setup: () => ({ iterator: undefined as promises.IntervalIterator<unknown> | undefined }),
    call: (held, [d, v, o]) => (held.iterator = promises.setInterval(d as never, v, o as never)).next(),
    cleanup: (held) => void held.iterator?.return().catch(() => {}),
  },
  { name: 'promises:scheduler.wait', groups: IN_PROCESS, args: [arg(0, 1, 1e6), arg(undefined, {})], call: (_, [d, o]) => promises.scheduler.wait(d as never, o as never) },

  // ---- clocks ----
  { name: 'QemuClock.new', groups: IN_PROCESS, args: [arg('realtime', 'virtual', 'host')], call: (_, [t]) => new QemuClock(t as never) },
  ...QEMU_CLOCKS.flatMap((clock): Entry<any>[] => [
    {
      name: `QemuClock#enable(${clock.type})`, groups: IN_PROCESS, args: [arg(true, false)],
      setup: () => clock.enabled, call: (_, [e]) => clock.enable(e as never), observe: () => clockState(clock),
      cleanup: (before) => clock.enable(before as boolean),
    },
    {
      name: `QemuClock#onReset(${clock.type})`, groups: IN_PROCESS, args: [arg(noop)],
      call: (_, [n]) => clock.onReset(n as never), observe: () => clockState(clock), cleanup: (_, __, [n]) => clock.offReset(n as never),
    },
    { name: `QemuClock#offReset(${clock.type})`, groups: IN_PROCESS, args: [arg(noop)], call: (_, [n]) => clock.offReset(n as never), observe: () => clockState(clock) },
    {
      name: `QemuClock#driveByHand(${clock.type})`, groups: IN_PROCESS, args: [arg(true, false, undefined)],
      call: (_, [b]) => clock.driveByHand(b as never), observe: () => clockState(clock), cleanup: () => clock.type === 'virtual' && clock.driveByHand(false),
    },
    {
      name: `QemuClock#tick(${clock.type})`, groups: IN_PROCESS, args: [arg(0, 1000), arg(undefined, 5)],
      setup: () => clock.type === 'virtual' && clock.driveByHand(true), call: (_, [d, l]) => clock.tick(d as never, l as never),
      observe: () => clockState(clock), cleanup: () => clock.type === 'virtual' && clock.driveByHand(false),
    },
    {
      name: `QemuClock#runAll(${clock.type})`, groups: IN_PROCESS, args: [arg(undefined, 5)],
      setup: () => clock.type === 'virtual' && clock.driveByHand(true), call: (_, [l]) => clock.runAll(l as never),
      observe: () => clockState(clock), cleanup: () => clock.type === 'virtual' && clock.driveByHand(false),
    },
    {
      name: `ClockTimer#modify(${clock.type})`, groups: IN_PROCESS, args: [arg(0, 1e9, clock.ns + 1e9)],
      setup: () => new ClockTimer(clock, itimer.SCALE_NS, noop), call: (t, [e]) => t.modify(e as never),
      observe: (t) => [clockTimerState(t), clockState(clock)], cleanup: (t) => t.delete(),
    },
    {
      name: `ClockTimer#modifyNs(${clock.type})`, groups: IN_PROCESS, args: [arg(0, clock.ns + 1e9)],
      setup: () => new ClockTimer(clock, itimer.SCALE_MS, noop), call: (t, [e]) => t.modifyNs(e as never),
      observe: (t) => [clockTimerState(t), clockState(clock)], cleanup: (t) => t.delete(),
    },
    {
      name: `ClockTimer#expired(${clock.type})`, groups: IN_PROCESS, args: [arg(0, clock.ns)],
      setup: () => new ClockTimer(clock, itimer.SCALE_US, noop), call: (t, [n]) => t.expired(n as never),
      observe: clockTimerState, cleanup: (t) => t.delete(),
    },
  ]),
  {
    name: 'ClockTimer.new', groups: IN_PROCESS, args: [arg(...QEMU_CLOCKS), arg(itimer.SCALE_NS, itimer.SCALE_MS), arg(noop)],
    call: (_, [c, s, cb]) => new ClockTimer(c as never, s as never, cb as never), cleanup: (_, t) => closeQuietly(t),
  },

  // ---- kqueue ----
  { name: 'Kqueue.new', groups: IN_PROCESS, args: [arg(undefined, {}, { maxTimers: 2 })], call: (_, [o]) => new Kqueue(o as never), cleanup: (_, kq) => closeQuietly(kq) },
  {
    name: 'Kqueue#kevent', groups: IN_PROCESS,
    args: [
      arg([], [{ ident: 1, filter: itimer.EVFILT_TIMER, flags: itimer.EV_ADD, data: 5 }], [{ ident: 2, filter: itimer.EVFILT_USER, flags: itimer.EV_ADD | itimer.EV_CLEAR }], [undefined]),
      arg(0, 1, 8),
      arg(undefined, null, { sec: 0, nsec: 0 }, { sec: 0, nsec: 1e6 }),
    ],
    setup: () => new Kqueue(), call: (kq, [c, n, t]) => kq.kevent(c as never, n as never, t as never), cleanup: (kq) => closeQuietly(kq),
  },
  { name: 'Kqueue#postAlarm', groups: IN_PROCESS, args: [arg(0, 7)], setup: () => new Kqueue(), call: (kq, [id]) => kq.postAlarm(id as never), cleanup: (kq) => closeQuietly(kq) },

  // ---- devalarm ----
  {
    name: 'openAlarmFile', groups: IN_PROCESS, args: [arg('#alarm/clone', '#alarm'), arg('r', 'w', 'rw', undefined)],
    call: (_, [p, m]) => itimer.openAlarmFile(p as never, m as never), cleanup: (_, file) => closeQuietly(file),
  },
  { name: 'readAlarmDir', groups: IN_PROCESS, args: [arg('#alarm', undefined)], call: (_, [p]) => itimer.readAlarmDir(p as never) },
  { name: 'createAlarmFile', groups: IN_PROCESS, args: [arg('#alarm/x')], call: (_, [p]) => itimer.createAlarmFile(p as never) },
  { name: 'removeAlarmFile', groups: IN_PROCESS, args: [arg('#alarm/clone')], call: (_, [p]) => itimer.removeAlarmFile(p as never) },
  { name: 'AlarmEvents#postAlarm', groups: IN_PROCESS, args: [arg(0, 7)], setup: () => new AlarmEvents(), call: (q, [id]) => q.postAlarm(id as never), cleanup: (q) => q.close() },
  { name: 'registerEventQueue', groups: IN_PROCESS, args: [arg(new AlarmEvents())], call: (_, [q]) => itimer.registerEventQueue(q as never) },
  { name: 'devalarmGetFds', groups: IN_PROCESS, args: [], call: () => itimer.devalarmGetFds(), cleanup: (_, fds) => closeFds(fds) },
  {
    name: 'devalarmSetEvq', groups: IN_PROCESS, args: [arg('ctl'), arg(new AlarmEvents())],
    setup: () => itimer.devalarmGetFds(), call: (fds, [f, q]) => itimer.devalarmSetEvq(f === 'ctl' ? fds.ctl : (f as never), q as never),
    observe: alarmState, cleanup: closeFds,
  },
  {
    name: 'devalarmSetTime', groups: IN_PROCESS, args: [arg('timer'), arg(1, 2 ** 40)],
    setup: () => itimer.devalarmGetFds(), call: (fds, [f, n]) => itimer.devalarmSetTime(f === 'timer' ? fds.timer : (f as never), n as never),
    observe: alarmState, cleanup: closeFds,
  },
  { name: 'devalarmGetId', groups: IN_PROCESS, args: [arg({ ident: 3 }, { id: 4, wakeTimeNs: 0 })], call: (_, [e]) => itimer.devalarmGetId(e as never) },
  {
    name: 'devalarmDisable', groups: IN_PROCESS, args: [arg('timer')],
    setup: () => itimer.devalarmGetFds(), call: (fds, [f]) => itimer.devalarmDisable(f === 'timer' ? fds.timer : (f as never)),
    observe: alarmState, cleanup: closeFds,
  },
  {
    name: 'AlarmFile#write', groups: IN_PROCESS, args: [arg('0', '1', 'ff', 'cancel', 'evq 1', '10000000000000')],
    setup: () => itimer.devalarmGetFds(), call: (fds, [text]) => fds.timer.write(text), observe: alarmState, cleanup: closeFds,
  },
  {
    name: 'AlarmFile#write(ctl)', groups: IN_PROCESS, args: [arg('cancel', 'evq 1', 'evq', '')],
    setup: () => itimer.devalarmGetFds(), call: (fds, [text]) => fds.ctl.write(text), observe: alarmState, cleanup: closeFds,
  },
  {
    name: 'AlarmFile.new', groups: IN_PROCESS, args: [arg('#alarm/a0/ctl'), arg('ctl'), arg(), arg('rw')],
    call: (_, args) => new (AlarmFile as unknown as new (...a: unknown[]) => unknown)(...args),
  },

  // ---- signals group: may signal the process ----
  { name: 'alarm', groups: ['signals'], args: [arg(0, 1, 100)], call: (_, [s]) => itimer.alarm(s as never), cleanup: () => itimer.alarm(0) },
  { name: 'ualarm', groups: ['signals'], args: [arg(0, 1, 999_999), arg(undefined, 0, 10)], call: (_, [u, i]) => itimer.ualarm(u as never, i as never), cleanup: () => itimer.ualarm(0) },
  {
    name: 'setitimer', groups: ['signals'], args: [arg('real', 'virtual', 'prof', 0), arg({ value: 100 }, { value: { usec: 5 }, interval: 1 }, {})],
    call: (_, [w, v]) => itimer.setitimer(w as never, v as never), cleanup: disarmItimers,
  },
  {
    name: 'sigaction', groups: ['signals'], args: [arg('SIGUSR1', 'SIGINT', 'SIGTERM', 40, 'SIGALRM'), arg(undefined, 'SIG_IGN', 'SIG_DFL', noop)],
    setup: () => dispositions(), call: (_, [s, a]) => itimer.sigaction(s as never, a as never),
    // Only a change is undone: a query (no action) changed nothing, and SIGKILL cannot be set.
    cleanup: (_, previous, [s, a]) => a !== undefined && restoreDisposition(s, previous as itimer.SignalDisposition),
  },
  {
    name: 'sigprocmask', groups: ['signals'], args: [arg('block', 'unblock', 'setmask', 0), arg(undefined, [], ['SIGUSR1'], [40])],
    setup: () => itimer.sigprocmask('block'), call: (_, [h, s]) => itimer.sigprocmask(h as never, s as never),
    cleanup: (before: number[]) => itimer.sigprocmask('setmask', before),
  },
  {
    name: 'sigtimedwait', groups: ['signals'], args: [arg([], ['SIGUSR1'], [40]), arg(0, { sec: 0, nsec: 1000 }, undefined)],
    // A valid wait ends within 50 ms: SIGUSR2 (which has a listener) interrupts it with EINTR.
    setup: () => interrupter(), call: (_, [s, t]) => itimer.sigtimedwait(s as never, t as never),
    cleanup: (timer) => timer.delete(),
  },

  // ---- exec group: may replace the process ----
  { name: 'execve', groups: ['exec'], args: [arg('./missing'), arg(['x'], []), arg(undefined, {}, ['A=1'])], call: (_, [p, a, e]) => itimer.execve(p as never, a as never, e as never) },
  { name: 'execvp', groups: ['exec'], args: [arg('missing-command'), arg(['x'], [])], call: (_, [f, a]) => itimer.execvp(f as never, a as never) },
  {
    name: 'spawnWithTimers', groups: ['exec'], args: [arg('missing-command'), arg([], ['a']), arg({}, { alarm: 1 }, { itimers: { virtual: [1] } }), arg(undefined, { stdio: 'ignore' })],
    call: (_, [c, a, t, o]) => itimer.spawnWithTimers(c as never, a as never, t as never, o as never),
    cleanup: (_, child) => (child as import('node:child_process').ChildProcess | undefined)?.kill('SIGKILL'),
  },
];

interface ChainRun {
  chain: InstanceType<typeof TimerChain>;
  waiterFor(value: unknown): never;
}

function chainRun(): ChainRun {
  const waiter = new Waiter(noop);
  return { chain: new TimerChain(), waiterFor: (value) => (value === 'waiter' ? waiter : value) as never };
}

/** A private chain on virtual time (the chain knows the backend by its name), with one waiter armed. */
function virtualChain(): InstanceType<typeof TimerChain> {
  const chain = new TimerChain();
  chain.start({ name: 'virtual', description: 'fuzz', drivenByHand: true, nowNs: 0, start: noop, stop: noop, rearm: noop, disarm: noop } as never);
  const waiter = new Waiter(noop);
  waiter.keepsAlive = false;
  waiter.deadlineNs = 500;
  chain.arm(waiter);
  return chain;
}

function closeFds(fds: unknown): void {
  const { ctl, timer } = fds as itimer.AlarmFds;
  closeQuietly(ctl);
  closeQuietly(timer);
}

function alarmState(fds: itimer.AlarmFds): unknown {
  return [fds.timer.read(), itimer.readAlarmDir()];
}

function disarmItimers(): void {
  for (const which of ['real', 'virtual', 'prof'] as const) itimer.setitimer(which, { value: 0 });
}

const WATCHED_SIGNALS = ['SIGUSR1', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGALRM', 'SIGPIPE'] as const;

/** The dispositions and listener counts of the signals a sigaction entry may change. */
export function dispositions(): unknown {
  return [...WATCHED_SIGNALS, 40].map((s) => {
    const d = itimer.sigaction(s);
    return [d.disposition, d.handler === undefined, typeof s === 'string' ? process.listenerCount(s) : 0];
  });
}

function restoreDisposition(signal: unknown, previous: itimer.SignalDisposition | undefined): void {
  if (!previous) return;
  const number = itimer.signalNumber(signal as never);
  itimer.sigaction(number, previous.handler ?? (previous.disposition === 'ignore' ? 'SIG_IGN' : 'SIG_DFL'));
}

/** A POSIX timer that sends SIGUSR2 to this thread every 50 ms (again, in case one lands before the wait starts). */
function interrupter(): InstanceType<typeof PosixTimer> {
  const timer = itimer.timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR2' });
  timer.settime({ value: 0.05, interval: 0.05 });
  return timer;
}

/** Exports left out of the fuzz, with the reason. Constants (numbers, frozen tables) take no input. */
export const EXCLUDED: Readonly<Record<string, string>> = {
  pause: 'takes no argument; it blocks until a signal (test/posix/api.test.ts covers it in a child)',
  getTimerSlack: 'takes no argument (its state is checked around every setTimerSlack call)',
  getChain: 'takes no argument; its chain is fuzzed through TimerChain#… and the timers',
  chainNow: 'takes no argument',
  activeAlarm: 'takes no argument',
  availableAlarms: 'takes no argument',
  chainOwnsItimerReal: 'takes no argument',
  realtimeClock: 'a QemuClock: fuzzed as QemuClock#…(realtime)',
  'timers:setImmediate': "node:timers' own function, re-exported (Node validates its callback)",
  'timers:clearImmediate': "node:timers' own function, re-exported (it ignores what is not an Immediate)",
  'timers:promises': 'the itimer/promises module itself, fuzzed as promises:…',
  'promises:setImmediate': "node:timers/promises' own function, re-exported",
  virtualClock: 'a QemuClock: fuzzed as QemuClock#…(virtual)',
  hostClock: 'a QemuClock: fuzzed as QemuClock#…(host)',
};
