/**
 * The process's one timer chain, its backend selection and configuration.
 *
 * The chain is created on first use, on the first backend of the configured order that
 * starts on this host. The order comes from {@link configureAlarms} if it was called,
 * else from the `ITIMER_CLOCK` environment variable, else the default order.
 * @module
 */
import type { AlarmBackend, AlarmConfig, BackendName } from '../backends/index.js';
import { backendInfo, configMessages, defaultOrder, describeBackends, parseAlarmConfig } from '../backends/index.js';
import { startupSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { nodeSetImmediate, nodeSetTimeout } from '../runtime/node-timers.js';
import { libuvBackend } from '../backends/libuv.js';
import { itimerError } from '../host/errors.js';
import { koffiLoaded, preloadFfi } from '../host/index.js';
import { registerAtFork } from '../posix/atfork.js';
import { validateInteger } from '../posix/validate.js';
import { reportUncaught } from '../runtime/dispatch.js';
import { TimerChain } from './chain.js';
import { wakeNs } from './heap.js';
import { Waiter } from './waiter.js';

/** What {@link configureAlarms} did. */
export interface ConfigureReport extends AlarmConfig {
  /** The active backend after the call, if the chain is running. */
  active: BackendName | undefined;
  /** Human-readable lines: the help listing, or one line per unknown / duplicate name. */
  messages: string[];
}

let configured: BackendName[] | undefined;
let chain: TimerChain | undefined;
/**
 * A hook run before the chain moves from one backend to another (`from` is the chain's
 * backend now, if any). It may return `started`, run once `to` has started, and `undo`, run
 * if `to` then fails to start.
 */
export type BackendSwitchHook = (
  chain: TimerChain,
  from: BackendName | undefined,
  to: AlarmBackend,
) => { started?: () => void; undo?: () => void } | undefined | void;
const switchHooks: BackendSwitchHook[] = [];

/**
 * The enabled backends in order of precedence (configured, `ITIMER_CLOCK`, or default).
 * @returns a new array of backend names, first the one the chain tries first.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if no call of {@link configureAlarms} has succeeded
 *   and `ITIMER_CLOCK` names no known backend (thrown again on every call).
 */
export function availableAlarms(): BackendName[] {
  if (!configured) {
    const fromEnv = process.env['ITIMER_CLOCK'];
    configured = fromEnv ? parseAlarmConfig(fromEnv).order : defaultOrder();
  }
  return [...configured];
}

/**
 * The name of the backend the chain runs on, or undefined before first use.
 * @returns the backend's name, or undefined before the chain first starts and while it is
 *   stopped (between an exec's or a snapshot's quit and the restart).
 */
export function activeAlarm(): BackendName | undefined {
  finishBootstrap();
  return chain?.backendName;
}

/** @internal Registers a hook run before the chain moves to another backend (e.g. to hand over ITIMER_REAL). */
export function onBackendSwitch(hook: BackendSwitchHook): void {
  switchHooks.push(hook);
}

const quitHooks: ((chain: TimerChain) => void)[] = [];

/** @internal Registers a hook run before the chain stops for a process-image transition. */
export function onQuit(hook: (chain: TimerChain) => void): void {
  quitHooks.push(hook);
}

/**
 * The chain's own atfork handlers, registered when itimer is imported — before any user's —
 * so that its `before` handler runs after theirs (reverse order) and its `after` handlers
 * before theirs: user handlers can use timers on either side.
 * - before (exec, snapshot): QEMU `quit_timers` — hand ITIMER_REAL to the kernel, stop the
 *   backend, release its host timer and every handle;
 * - afterInParent (exec failed) and afterInChild (snapshot deserialised): QEMU
 *   `reinit_timers` — start the best backend that starts here, re-arm; timers keep their
 *   deadlines (CLOCK_MONOTONIC is system-wide, so a deadline set in the snapshot builder
 *   still means the same instant in the new process on the same boot).
 */
registerAtFork({
  before() {
    if (!chain) return;
    for (const hook of quitHooks) hook(chain);
    chain.stop();
  },
  afterInParent: () => chain && startFirst(chain, availableAlarms()),
  afterInChild() {
    const restarted = chain;
    if (!restarted) return;
    // Deserialising a snapshot runs before the module loader is ready: carry on without FFI,
    // then move to the best backend as soon as the process is up.
    startFirst(restarted, availableAlarms(), true);
    nodeSetImmediate(() => startFirst(restarted, availableAlarms()));
  },
});

/*
 * A punctual first timer. Loading the FFI library (koffi's dlopen, ~2 ms here) and starting a
 * backend (~1 ms) are most of the chain's start-up: paid inside a first timer's wait, they
 * make it milliseconds late. So:
 * - importing itimer loads no native code, and the first turn of the event loop after the
 *   import loads the FFI, starts the process chain (when its first backend is one that
 *   takes nothing process-wide: `timerfd`, whose fd is its only resource) and exercises the
 *   arm/cancel path once, so a timer armed later — after any idle time — finds all of it done;
 * - a timer armed before that (at top level) starts the chain on the *bootstrap* backend, a
 *   precise variant of `libuv` that needs no FFI (backends/libuv), and the chain moves to
 *   the configured backend as soon as its head is at least {@link MOVE_SLACK_NS} away (or
 *   after {@link BOOTSTRAP_MAX_NS} at most), as `configureAlarms` moves a running chain.
 *   Anything that asks which backend runs (`activeAlarm`, `configureAlarms`) moves it at once.
 * Only on the main thread with a first backend that needs the FFI and adopts nothing
 * process-wide (`timerfd`, `dynticks`), and never in a snapshot builder. Never throws.
 */

/** How far away the head must be for the process chain to leave the bootstrap backend. */
const MOVE_SLACK_NS = 5_000_000;
/** The longest the process chain stays on the bootstrap backend. */
const BOOTSTRAP_MAX_NS = 50_000_000;
/** When the process chain started on the bootstrap backend, while it runs there. */
let bootstrapSinceNs: number | undefined;

/** Whether the process chain may start on the bootstrap backend now, for this order. */
function bootstrapFits(order: readonly BackendName[]): boolean {
  if (!isMainThread || startupSnapshot.isBuildingSnapshot() || koffiLoaded()) return false;
  const first = backendInfo(order[0]!);
  return first.ffi && !first.adoptsItimerReal;
}

/** Moves the process chain off the bootstrap backend once its head leaves room for the move. */
function settleBootstrap(): void {
  const current = chain;
  if (!current || bootstrapSinceNs === undefined) return;
  const nowNs = current.now();
  const head = current.head;
  if (head && wakeNs(head) - nowNs < MOVE_SLACK_NS && nowNs - bootstrapSinceNs < BOOTSTRAP_MAX_NS) {
    nodeSetTimeout(settleBootstrap, 1).unref();
    return;
  }
  try {
    finishBootstrap();
  } catch (error) {
    process.emitWarning(`The timer chain could not leave its bootstrap backend: ${(error as Error).message}`, { code: 'ITIMER_BACKEND_FAILED' });
  }
}

/** Moves the process chain off the bootstrap backend now, if it runs there. */
function finishBootstrap(): void {
  if (bootstrapSinceNs === undefined) return;
  bootstrapSinceNs = undefined;
  startFirst(chain!, availableAlarms());
}

/**
 * Arms a waiter on the process chain that is due at once: its backend wakes the chain for it
 * (the rearm floor later), so the whole wake path — the host's expiry, the poll watcher,
 * the pass, the re-arm — has run once before a real timer needs it. It keeps nothing alive.
 */
function warmUp(target: TimerChain): void {
  const waiter = new Waiter(() => {});
  waiter.keepsAlive = false;
  waiter.deadlineNs = target.now();
  target.arm(waiter);
}

/**
 * The preload, one step per millisecond timer so that none blocks the event loop for long (loading
 * the FFI ~3 ms here, starting the chain ~1 ms, the warm-up ~0.3 ms): a step stops when the
 * process chain was started meanwhile (a timer armed at top level: settleBootstrap loads the
 * FFI when there is room), or when its first backend needs no FFI or takes something
 * process-wide (a signal, ITIMER_REAL: started on first use). Never throws: a bad
 * ITIMER_CLOCK, or no backend that starts, is reported by the first call that needs one.
 */
function preload(step: number): void {
  try {
    if (chain && step === 0) return;
    const first = backendInfo(availableAlarms()[0]!);
    if (!first.ffi) return;
    if (step === 0) preloadFfi();
    else if (first.signal || first.adoptsItimerReal) return;
    else if (step === 1) getChain();
    else return warmUp(getChain());
    nodeSetTimeout(preload, 0, step + 1).unref();
  } catch {
    // reported by the first call that needs a backend
  }
}

// Unref'd Node timers rather than immediates: an unref'd timer does not keep a finished
// program alive, but it does wake a sleeping event loop (libuv's poll timeout counts every
// timer), where an unref'd immediate would wait for whatever wakes the loop next.
if (!startupSnapshot.isBuildingSnapshot() && isMainThread) nodeSetTimeout(preload, 0, 0).unref();

/**
 * Starts `target` on the first backend of `order` that starts here (QEMU: "the first that
 * starts wins"). While a startup snapshot is built (or `withoutFfi`), only the first backend
 * without FFI is tried (`libuv` unless `virtual` is enabled): the builder cannot serialise
 * native handles, and a deserialising process cannot load packages yet. If none starts, a
 * running chain goes back to the backend it ran on, or else to libuv, so its timers keep
 * firing.
 * @returns one line per backend that failed before one started.
 * @throws Error `ERR_ITIMER_NO_ALARM_BACKEND` when none started, saying what runs now.
 */
function startFirst(target: TimerChain, order: readonly BackendName[], withoutFfi = startupSnapshot.isBuildingSnapshot()): string[] {
  const failures: string[] = [];
  const previous = target.backendName;
  const tryStart = (name: BackendName): boolean => {
    const backend = backendInfo(name).create();
    const hooks: { started?: () => void; undo?: () => void }[] = [];
    try {
      for (const hook of switchHooks) {
        const result = hook(target, target.backendName, backend);
        if (result) hooks.push(result);
      }
      target.start(backend);
    } catch (error) {
      // What the hooks took over for `name` (the kernel's ITIMER_REAL) goes back.
      for (const { undo } of hooks.reverse()) undo?.();
      failures.push(`${name}: ${(error as Error).message}`);
      return false;
    }
    for (const { started } of hooks) started?.();
    return true;
  };
  // A snapshot builder may use only backends without FFI.
  const candidates = withoutFfi ? [...order.filter((n) => !backendInfo(n).ffi), 'libuv' as const].slice(0, 1) : order;
  for (const name of candidates) {
    if (tryStart(name)) return failures;
  }
  // Back to what ran before; failing that (its resource was released, e.g. a timerfd under
  // EMFILE), to libuv, which needs none: a running chain never ends up without a backend.
  const fallbacks = previous === undefined ? [] : [previous, 'libuv' as const].filter((name) => !order.includes(name));
  const fallback = fallbacks.find((name) => tryStart(name));
  const outcome = fallback ? `the chain runs on '${fallback}'` : previous === undefined ? 'the chain has not started' : 'the chain has no backend now';
  throw Object.assign(itimerError('ERR_ITIMER_NO_ALARM_BACKEND', `No alarm backend could start (tried ${order.join(', ')}); ${outcome}:\n${failures.join('\n')}`), {
    active: target.backendName,
  });
}

/**
 * The process's chain, started on first use.
 * @returns the process's one {@link TimerChain}, the same object on every call.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND on the first call if none of the enabled backends
 *   starts (possible only when `libuv` is not enabled), or `ITIMER_CLOCK` names no known
 *   backend; the chain is then not created, and the next call tries again.
 */
export function getChain(): TimerChain {
  if (!chain) {
    const created = new TimerChain();
    const order = availableAlarms();
    if (bootstrapFits(order)) {
      created.start(libuvBackend(() => created.holdsEventLoop));
      bootstrapSinceNs = created.now();
      nodeSetImmediate(settleBootstrap).unref();
    } else startFirst(created, order);
    created.onHostFailure = (error) => recoverFromHostFailure(created, error);
    chain = created;
    // On a normal exit the backend stops and releases its host timer and fd (and the
    // unix backend disarms ITIMER_REAL) before the process's other exit listeners run.
    process.on('exit', () => created.stop());
  }
  return chain;
}

/**
 * The backend's re-arm failed in a wake-up (its fd closed under it, say): the chain moves to
 * the next backend of the order that starts (at worst libuv, which cannot fail), so its
 * timers keep firing, and a warning says what happened. If even that fails, the error is
 * reported as uncaught: never swallowed.
 */
function recoverFromHostFailure(target: TimerChain, error: unknown): void {
  const failed = target.backendName;
  const order = availableAlarms();
  const rest = order.slice(order.indexOf(failed!) + 1);
  try {
    startFirst(target, rest.length > 0 ? rest : ['libuv']);
  } catch (fallbackError) {
    reportUncaught(new AggregateError([error, fallbackError], `The '${failed}' backend failed and no other could start`));
    return;
  }
  process.emitWarning(`The '${failed}' backend failed to re-arm (${(error as Error)?.message ?? String(error)}); the timer chain moved to '${target.backendName}'`, {
    code: 'ITIMER_BACKEND_FAILED',
  });
}

/** True once the chain exists (it is never torn down, only stopped). */
export function chainStarted(): boolean {
  return chain !== undefined;
}

/**
 * Chooses the backends with QEMU `configure_alarms` semantics (see backends/config), and
 * moves a running chain to the first that starts — its timers keep their deadlines; the
 * report's messages name the backends that failed before it. If none starts, the chain goes
 * back to the backend it ran on, the configuration stays as it was, and the error says so.
 * Never prints and never exits: the report says what happened. Works whatever `ITIMER_CLOCK`
 * says: a valid spec replaces it; with a bad `ITIMER_CLOCK` (and no earlier successful call),
 * `help` reports an empty order and a message saying what is wrong with it.
 * @param spec e.g. `'timerfd,unix'`, or `'help'`.
 * @returns what was done: `order`, the backends now enabled (for `help`, the current order,
 *   unchanged); `unknown` and `duplicates`, the names skipped; `help`; `active`, the backend
 *   the chain runs on (undefined if it has not started); and `messages`.
 * @throws TypeError ERR_INVALID_ARG_TYPE if spec is not a string.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND when no name is valid, or none of them starts (tried
 *   only if the chain is running; before that the order is stored for its first start).
 * @example
 * ```js
 * import { configureAlarms } from 'itimer';
 * const report = configureAlarms('hpet,dynticks,timerfd');
 * console.log(report.order, report.messages); // ['dynticks', 'timerfd'] ['Unknown clock hpet']
 * ```
 */
export function configureAlarms(spec: string): ConfigureReport {
  let current: BackendName[] = [];
  let currentProblem: string | undefined;
  try {
    current = availableAlarms();
  } catch (error) {
    currentProblem = `ITIMER_CLOCK: ${(error as Error).message.split('\n')[0]}`;
  }
  const config = parseAlarmConfig(spec, current);
  const messages = config.help
    ? [...describeBackends(config.order).split('\n'), ...(currentProblem ? [currentProblem] : [])]
    : configMessages(config);
  if (!config.help) {
    // A refused configuration changes nothing: the order is kept only once a backend started.
    bootstrapSinceNs = undefined; // a running chain moves now, off the bootstrap backend too
    const failures = chain ? startFirst(chain, config.order) : [];
    configured = config.order;
    messages.push(...failures.map((failure) => `Could not start ${failure}`));
  }
  return { ...config, active: activeAlarm(), messages };
}

/**
 * Sets the process chain's rearm floor in ns (QEMU `MIN_TIMER_REARM_NS`, default 250 000).
 * @param nanoseconds the smallest delay the host is armed for: an integer from 0 to 1e9 (1 s).
 * @throws TypeError ERR_INVALID_ARG_TYPE if nanoseconds is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if nanoseconds is not an integer from 0 to 1e9.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
 */
export function setRearmFloor(nanoseconds: number): void {
  validateInteger(nanoseconds, 'nanoseconds', 0, 1e9); // before the chain starts: a refused call changes nothing
  getChain().rearmFloorNs = nanoseconds;
}
