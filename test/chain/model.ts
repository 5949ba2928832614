/**
 * Model-based test of the timer chain on virtual time: random programs (fast-check, seeded)
 * of arm / cancel / rearmAbsolute / tick, with callbacks that arm, cancel, re-arm (into the
 * past too) and throw, run against a small reference model and, alternately, against the
 * chain (TimerChain and Waiters) and QEMU's virtual clock driven by hand (ClockTimers:
 * modifyNs re-arms, delete cancels). The traces (who fired, at what time, in which order;
 * what each cancel and re-arm returned, where the API reports it; how many errors were
 * rethrown) must be equal.
 *
 * The model's rules (docs/chain.md, "Timers"; Akaros' alarm chain):
 * - a pass at time `now` collects every waiter due (deadline <= now) into a ready list,
 *   in deadline order, ties in arming order (FIFO), before any callback runs;
 * - cancel wins: cancelling (or re-arming) a collected waiter that has not run yet removes
 *   it from the ready list and returns true; it does not run in that pass;
 * - a waiter armed into the past inside a callback runs in the next pass, not this one;
 * - a callback that throws loses no other waiter: the rest of the pass runs, the error is
 *   reported as uncaught (here, on virtual time driven synchronously, once the tick returns);
 * - `tick(delta)` runs a pass at each due deadline up to now + delta, in order: never early.
 *
 * Run by test/chain/model.test.ts (in a child process: rethrown errors are uncaught
 * exceptions there), and longer by `npm run fuzz`:
 *
 *   node --import=tsx test/chain/model.ts [--programs N] [--seed S]
 *
 * With `ITIMER_DEBUG_HEAP=1` (model.test.ts and `npm run fuzz` set it) every mutation of a
 * timer list also checks the heap invariants.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import fc from 'fast-check';
import { virtualBackend } from '../../src/backends/virtual.js';
import { TimerChain } from '../../src/chain/chain.js';
import { Waiter } from '../../src/chain/waiter.js';
import { ClockTimer, SCALE_NS, virtualClock } from '../../src/clocks/index.js';

const WAITERS = 5;
const UNIT_NS = 1000;

type Action =
  | { op: 'arm'; id: number; delay: number }
  | { op: 'cancel'; id: number }
  | { op: 'rearm'; id: number; delay: number };
type Step = Action | { op: 'tick'; delta: number };
/** What a waiter does on its n-th firing: actions, then maybe a throw. */
type Firing = { actions: Action[]; throws: boolean };
interface Program {
  steps: Step[];
  behaviour: Firing[][];
}

const id = fc.integer({ min: 0, max: WAITERS - 1 });
// Small delays make many ties; negative ones (re-arm only) land in the past.
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('arm' as const), id, delay: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant('cancel' as const), id }),
  fc.record({ op: fc.constant('rearm' as const), id, delay: fc.integer({ min: -2, max: 4 }) }),
);
const program: fc.Arbitrary<Program> = fc.record({
  steps: fc.array(fc.oneof({ weight: 3, arbitrary: action }, { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), delta: fc.integer({ min: 0, max: 6 }) }) }), {
    minLength: 1,
    maxLength: 30,
  }),
  behaviour: fc.array(fc.array(fc.record({ actions: fc.array(action, { maxLength: 3 }), throws: fc.boolean() }), { maxLength: 3 }), {
    minLength: WAITERS,
    maxLength: WAITERS,
  }),
});

/** What both sides record. */
type Event = [kind: string, ...values: (number | boolean | string)[]];

/** The reference model. */
class Model {
  now = 0;
  #seq = 0;
  /** Armed waiters: id → deadline and arming order. */
  readonly armed = new Map<number, { deadline: number; seq: number }>();
  /** The current pass's collected waiters that have not run yet. */
  ready: number[] = [];
  readonly firings = new Array<number>(WAITERS).fill(0);
  readonly trace: Event[] = [];
  thrown = 0;

  constructor(readonly behaviour: Firing[][], startNs = 0) {
    this.now = startNs;
  }

  isIdle(waiter: number): boolean {
    return !this.armed.has(waiter) && !this.ready.includes(waiter);
  }

  arm(waiter: number, deadline: number): void {
    this.armed.set(waiter, { deadline, seq: this.#seq++ });
  }

  cancel(waiter: number): boolean {
    if (this.armed.delete(waiter)) return true;
    const at = this.ready.indexOf(waiter);
    if (at < 0) return false;
    this.ready.splice(at, 1); // cancel wins over collection
    return true;
  }

  apply(a: Action): void {
    if (a.op === 'arm') {
      if (this.isIdle(a.id)) this.arm(a.id, this.now + a.delay * UNIT_NS);
    } else if (a.op === 'cancel') {
      this.trace.push(['cancel', a.id, this.cancel(a.id)]);
    } else {
      const removed = this.cancel(a.id);
      this.arm(a.id, Math.max(0, this.now + a.delay * UNIT_NS));
      this.trace.push(['rearm', a.id, removed]);
    }
  }

  #head(): [number, { deadline: number; seq: number }] | undefined {
    let best: [number, { deadline: number; seq: number }] | undefined;
    for (const entry of this.armed) {
      if (!best || entry[1].deadline < best[1].deadline || (entry[1].deadline === best[1].deadline && entry[1].seq < best[1].seq)) best = entry;
    }
    return best;
  }

  #pass(): void {
    this.ready = [...this.armed].filter(([, w]) => w.deadline <= this.now).sort(([, a], [, b]) => a.deadline - b.deadline || a.seq - b.seq).map(([w]) => w);
    for (const w of this.ready) this.armed.delete(w);
    while (this.ready.length > 0) {
      const waiter = this.ready.shift()!;
      this.trace.push(['fire', waiter, this.now]);
      const firing = this.behaviour[waiter]![this.firings[waiter]!++];
      for (const a of firing?.actions ?? []) this.apply(a);
      if (firing?.throws) this.thrown++;
    }
  }

  tick(delta: number): void {
    const target = this.now + delta * UNIT_NS;
    for (let head = this.#head(); head && head[1].deadline <= target; head = this.#head()) {
      this.now = Math.max(this.now, head[1].deadline);
      this.#pass();
    }
    this.now = target;
  }
}

/** The same program on the chain (TimerChain and Waiters on a virtual backend). */
function runChain(p: Program): { trace: Event[]; early: string[] } {
  const chain = new TimerChain();
  const backend = virtualBackend();
  chain.start(backend);
  const trace: Event[] = [];
  const early: string[] = [];
  const firings = new Array<number>(WAITERS).fill(0);
  const waiters: Waiter[] = [];
  const idle = new Set<number>(Array.from({ length: WAITERS }, (_, i) => i));
  const apply = (a: Action): void => {
    const waiter = waiters[a.id]!;
    if (a.op === 'arm') {
      if (idle.has(a.id) && !waiter.armed) {
        waiter.deadlineNs = chain.now() + a.delay * UNIT_NS;
        chain.arm(waiter);
        idle.delete(a.id);
      }
    } else if (a.op === 'cancel') {
      const removed = chain.cancel(waiter);
      if (removed) idle.add(a.id);
      trace.push(['cancel', a.id, removed]);
    } else {
      trace.push(['rearm', a.id, chain.rearmAbsolute(waiter, Math.max(0, chain.now() + a.delay * UNIT_NS))]);
      idle.delete(a.id);
    }
  };
  for (let w = 0; w < WAITERS; w++) {
    waiters.push(
      new Waiter((nowNs) => {
        idle.add(w);
        trace.push(['fire', w, nowNs]);
        if (nowNs < waiters[w]!.deadlineNs) early.push(`waiter ${w} ran at ${nowNs}, before its deadline ${waiters[w]!.deadlineNs}`);
        const firing = p.behaviour[w]![firings[w]!++];
        for (const a of firing?.actions ?? []) apply(a);
        if (firing?.throws) throw new Error(`waiter ${w} throws`);
      }),
    );
    waiters[w]!.keepsAlive = false;
  }
  for (const step of p.steps) {
    if (step.op === 'tick') chain.tick(step.delta * UNIT_NS);
    else apply(step);
  }
  chain.stop();
  return { trace, early };
}

/**
 * The same program on QEMU's virtual clock driven by hand, with ClockTimers (SCALE_NS):
 * `modifyNs` re-arms, `delete` cancels. Neither reports whether the timer was pending, so
 * only the firings (and the rethrown errors) are compared.
 */
function runClock(p: Program): { trace: Event[]; early: string[] } {
  const clock = virtualClock;
  const trace: Event[] = [];
  const early: string[] = [];
  const firings = new Array<number>(WAITERS).fill(0);
  const timers: ClockTimer[] = [];
  const idle = new Set<number>(Array.from({ length: WAITERS }, (_, i) => i));
  const apply = (a: Action): void => {
    const timer = timers[a.id]!;
    if (a.op === 'arm') {
      if (idle.has(a.id) && !timer.pending()) {
        timer.modifyNs(clock.ns + a.delay * UNIT_NS);
        idle.delete(a.id);
      }
    } else if (a.op === 'cancel') {
      timer.delete();
      idle.add(a.id);
      trace.push(['cancel', a.id]);
    } else {
      timer.modifyNs(Math.max(0, clock.ns + a.delay * UNIT_NS));
      idle.delete(a.id);
      trace.push(['rearm', a.id]);
    }
  };
  const deadlines = new Array<number>(WAITERS).fill(0);
  for (let w = 0; w < WAITERS; w++) {
    timers.push(
      new ClockTimer(clock, SCALE_NS, () => {
        idle.add(w);
        trace.push(['fire', w, clock.ns]);
        if (clock.ns < deadlines[w]!) early.push(`timer ${w} ran at ${clock.ns}, before its expiry ${deadlines[w]}`);
        const firing = p.behaviour[w]![firings[w]!++];
        for (const a of firing?.actions ?? []) apply(a);
        if (firing?.throws) throw new Error(`waiter ${w} throws`);
      }).unref(),
    );
  }
  const modify = ClockTimer.prototype.modifyNs;
  for (const [w, timer] of timers.entries()) {
    timer.modifyNs = (expireNs: number) => {
      deadlines[w] = expireNs;
      modify.call(timer, expireNs);
    };
  }
  for (const step of p.steps) {
    if (step.op === 'tick') clock.tick(step.delta * UNIT_NS);
    else apply(step);
  }
  for (const timer of timers) timer.delete();
  return { trace, early };
}

/** The model's trace without what the clock API does not report (cancel and re-arm results). */
function withoutResults(trace: Event[]): Event[] {
  return trace.map((event) => (event[0] === 'fire' ? event : [event[0], event[1]!]));
}

/** Runs `count` programs; returns the counts and the first mismatches. */
export async function runPrograms(count: number, seed: number): Promise<{ programs: number; onClock: number; events: number; thrown: number; failed: number; mismatches: string[] }> {
  let thrown = 0;
  const unexpected: string[] = [];
  const onError = (error: Error): void => {
    if (/^waiter \d throws$/.test(error.message)) thrown++;
    else unexpected.push(error.message);
  };
  process.on('uncaughtException', onError);
  const mismatches: string[] = [];
  let events = 0;
  let failed = 0;
  let onClock = 0;
  try {
    for (const p of fc.sample(program, { numRuns: count, seed })) {
      const target = events % 2 === 0 ? 'chain' : 'clock'; // alternate, by a count the program does not choose
      const model = new Model(p.behaviour, target === 'chain' ? 0 : virtualClock.ns);
      for (const step of p.steps) {
        if (step.op === 'tick') model.tick(step.delta);
        else model.apply(step);
      }
      if (target === 'clock') onClock++;
      const before = thrown;
      const real = target === 'chain' ? runChain(p) : runClock(p);
      await new Promise((resolve) => setImmediate(resolve)); // rethrown errors arrive on the next ticks
      events += model.trace.length;
      const expected = target === 'chain' ? model.trace : withoutResults(model.trace);
      const problems = [...real.early, ...unexpected.splice(0).map((m) => `unexpected error: ${m}`)];
      if (!isDeepStrictEqual(real.trace, expected)) problems.push(`${target} trace ${JSON.stringify(real.trace)} != model ${JSON.stringify(expected)}`);
      if (thrown - before !== model.thrown) problems.push(`${target}: ${thrown - before} errors rethrown, model ${model.thrown}`);
      if (problems.length > 0) failed++;
      if (problems.length > 0 && mismatches.length < 3) mismatches.push(`program ${JSON.stringify(p)}: ${problems.join('; ')}`);
    }
  } finally {
    process.off('uncaughtException', onError);
  }
  return { programs: count, onClock, events, thrown, failed, mismatches };
}

if (import.meta.url.endsWith(process.argv[1]?.replace(/^.*\//, '/') ?? '\0')) {
  virtualClock.driveByHand();
  const { values } = parseArgs({ options: { programs: { type: 'string', default: '500' }, seed: { type: 'string', default: '7' } } });
  const result = await runPrograms(Number(values.programs), Number(values.seed));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(result.mismatches.length === 0 ? 0 : 1);
}
