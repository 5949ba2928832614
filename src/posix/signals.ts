/**
 * Signal names and dispositions: sigaction(2), and itimer's own listeners beside the user's.
 *
 * JavaScript handlers always go through `process.on(signal)`: libuv's handler writes to
 * a pipe and the listener runs on the event loop. An FFI callback is never installed as
 * a C signal handler (V8 aborts when one runs). `sigaction` through FFI queries
 * dispositions and sets SIG_DFL / SIG_IGN. itimer's own listeners (kqueue's EVFILT_SIGNAL,
 * the signal backends) are kept apart from the user's, and while the timer chain owns a
 * signal the user's disposition of it is emulated here (see `emulateDisposition`). The mask
 * and the waiting calls are posix/sigwait.
 * @module
 */
import { constants } from 'node:os';
import { checked, host, itimerError, layoutsFor } from '../host/index.js';
import { SA_FLAGS } from './constants.js';
import { structBuffer } from './structs.js';
import { C_LIMITS, invalidArgType, invalidArgValue, requireMainThread, validateInteger } from './validate.js';

/** A signal by Node's name (`'SIGALRM'`) or by number. */
export type SignalInput = NodeJS.Signals | number;

/** A JavaScript signal handler, called on the event loop like a `process.on` listener. */
export type SignalHandler = (signal: NodeJS.Signals) => void;

/** What `sigaction` reports about a signal's disposition. */
export interface SignalDisposition {
  /** `'default'` (SIG_DFL), `'ignore'` (SIG_IGN) or `'handled'` (a handler is installed, e.g. libuv's for `process.on`). */
  disposition: 'default' | 'ignore' | 'handled';
  /** `sa_flags` as the kernel holds them (see {@link SA_FLAGS}). */
  flags: number;
  /** The names of the bits set in `flags`. */
  flagNames: string[];
  /** The handler installed through {@link sigaction}, if any. */
  handler?: SignalHandler;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = constants.signals;
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, value]) => [value, name as NodeJS.Signals]),
);

/**
 * The number of a signal given by name or number. Numbers the kernel may reject (0, 65)
 * pass through so the kernel's errno is reported.
 * @param signal A signal name, looked up as an own property of `os.constants.signals`
 *   (`'SIGALRM'`), or a number.
 * @param name The argument's name in the error messages.
 * @returns the signal number (a number given is returned as it is).
 * @throws TypeError ERR_INVALID_ARG_VALUE if signal is a string that is not a signal name.
 * @throws TypeError ERR_INVALID_ARG_TYPE if signal is neither a string nor a number.
 * @throws RangeError ERR_OUT_OF_RANGE if signal is a number that is not an integer in the `int` range.
 */
export function signalNumber(signal: unknown, name = 'signal'): number {
  if (typeof signal === 'string') {
    if (!Object.hasOwn(SIGNAL_NUMBERS, signal)) throw invalidArgValue(name, signal, "must be a signal name such as 'SIGALRM'");
    return SIGNAL_NUMBERS[signal]!;
  }
  if (typeof signal === 'number') return validateInteger(signal, name, C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
  throw invalidArgType(name, 'of type string or number', signal);
}

/** Node's name for a signal number, if it has one (real-time signals have none). */
export function signalName(signal: number): NodeJS.Signals | undefined {
  return SIGNAL_NAMES.get(signal);
}

/** Handlers installed through {@link sigaction}, by signal number. */
const handlers = new Map<number, SignalHandler>();

/** Signals the user set to SIG_IGN through {@link sigaction} (exec keeps those ignored). */
const userIgnored = new Set<string>();

/** @internal Whether the user ignored `signal` with sigaction (rather than Node at startup). */
export function ignoredByUser(signal: NodeJS.Signals): boolean {
  return userIgnored.has(signal);
}

/** @internal Records that `signal` is ignored because Node ignores it, not the user (exec's undo). */
export function forgetUserIgnored(signal: NodeJS.Signals): void {
  userIgnored.delete(signal);
}

/** itimer's own listeners of each signal (kqueue's EVFILT_SIGNAL, the signal backends). */
const libraryListeners = new Map<string, Set<Function>>();

/**
 * Signals whose disposition itimer emulates for the user, with what to call when the user's
 * handler changes: while a signal is emulated (the timer chain owns SIGALRM on the 'unix'
 * backend, see chain/sigalrm), a handler installed with {@link sigaction} is kept here rather
 * than on `process`, and the owner delivers to it only the signals that are the user's.
 */
const emulations = new Map<string, () => void>();

function emulated(signal: string): boolean {
  return emulations.has(signal);
}

/**
 * @internal Starts emulating the user's disposition of `signal` (see `emulations`): a handler
 * installed with {@link sigaction} moves off `process`. Call it once a library listener of the
 * signal is attached, so that libuv's watcher never closes in between (a signal already in
 * its pipe would be lost with it).
 * @param onHandlerChange called after sigaction changes the user's handler while emulated.
 */
export function emulateDisposition(signal: NodeJS.Signals, onHandlerChange: () => void): void {
  emulations.set(signal, onHandlerChange);
  const handler = handlers.get(SIGNAL_NUMBERS[signal]!);
  if (handler) process.removeListener(signal, handler);
}

/**
 * @internal Ends {@link emulateDisposition}: the user's sigaction handler goes back onto
 * `process`. Call it before the library listener goes, for the same reason.
 */
export function endEmulation(signal: NodeJS.Signals): void {
  if (!emulations.delete(signal)) return;
  const handler = handlers.get(SIGNAL_NUMBERS[signal]!);
  if (handler && !process.listeners(signal).includes(handler)) process.on(signal, handler);
}

/** @internal The user's sigaction handler of an emulated signal, which itimer delivers to itself. */
export function emulatedHandler(signal: NodeJS.Signals): SignalHandler | undefined {
  return emulated(signal) ? handlers.get(SIGNAL_NUMBERS[signal]!) : undefined;
}

/** @internal Whether `listener` is itimer's own listener of `signal`. */
export function isLibraryListener(signal: string, listener: unknown): boolean {
  return libraryListeners.get(signal)?.has(listener as Function) ?? false;
}

/**
 * The user's handlers of `signal`: its `process.on` listeners that are not itimer's own,
 * plus, while the signal is emulated, the handler installed with {@link sigaction}.
 */
export function userListeners(signal: NodeJS.Signals): Function[] {
  const own = libraryListeners.get(signal);
  const listeners = process.listeners(signal).filter((l) => !own?.has(l));
  const handler = emulatedHandler(signal);
  if (handler) listeners.push(handler);
  return listeners;
}

/**
 * @internal Ends the process by `signal` at its default action, now: the disposition is set
 * to SIG_DFL under libuv's feet (the process does not survive to notice) and the signal is
 * raised on this thread, so it is delivered before raise(3) returns.
 */
export function dieBySignal(signal: NodeJS.Signals): never {
  const number = signalNumber(signal);
  const calls = host();
  checked(calls.sigaction(number, structBuffer('sigaction'), null), 'sigaction');
  checked(calls.raise(number), 'raise');
  throw new Error(`${signal} at its default action did not end the process`);
}

const SIG_DFL = 0;
const SIG_IGN = 1;

function readDisposition(buffer: Buffer, signal: number): SignalDisposition {
  const { fields } = layoutsFor().sigaction;
  const handlerAddress = buffer.readBigUInt64LE(fields.sa_handler.offset);
  const flags = buffer.readUInt32LE(fields.sa_flags.offset);
  const result: SignalDisposition = {
    disposition: handlerAddress === 0n ? 'default' : handlerAddress === 1n ? 'ignore' : 'handled',
    flags,
    flagNames: Object.entries(SA_FLAGS)
      .filter(([, bit]) => (flags & bit) >>> 0 === bit)
      .map(([flagName]) => flagName),
  };
  const handler = handlers.get(signal);
  const name = signalName(signal);
  // While itimer emulates the signal's disposition, report the one it emulates for the user.
  if (name && emulated(name)) result.disposition = handler ? 'handled' : 'default';
  if (handler && result.disposition === 'handled') result.handler = handler;
  return result;
}

function queryDisposition(signal: number): Buffer {
  const old = structBuffer('sigaction');
  checked(host().sigaction(signal, null, old), 'sigaction');
  return old;
}

/**
 * Examines and changes the action of a signal, as sigaction(2).
 *
 * - `action` absent: only reports the current disposition.
 * - `'SIG_DFL'` / `'SIG_IGN'`: sets it in the kernel (after removing a handler installed
 *   here). Refused while other `process.on` listeners exist for the signal: libuv owns the
 *   C handler then, and changing it under libuv would silently stop those listeners.
 * - a function: installs it with `process.on(signal)`, replacing one installed here before.
 *
 * The kernel validates every change first: SIGKILL and SIGSTOP give `EINVAL`, as does an
 * invalid signal number.
 * @param signal The signal, by name or number.
 * @param action `'SIG_DFL'`, `'SIG_IGN'` or a handler; absent, nothing changes.
 * @returns the previous disposition (the current one when `action` is absent).
 * @throws Error `EINVAL` (sigaction) for a number that is not a signal (below 1, above 64, or
 *   32 and 33, which glibc reserves), and, when `action` is given, for SIGKILL and SIGSTOP.
 * @throws TypeError ERR_INVALID_ARG_VALUE for an unknown signal name, an `action` that is not
 *   `'SIG_DFL'`, `'SIG_IGN'` or a function, or a handler for a signal Node.js has no name for
 *   (the real-time signals).
 * @throws TypeError ERR_INVALID_ARG_TYPE if signal is neither a string nor a number.
 * @throws RangeError ERR_OUT_OF_RANGE if signal is a number that is not an integer in the `int` range.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY if `action` is given in a Worker.
 * @throws Error ERR_ITIMER_SIGNAL_LISTENERS for `'SIG_DFL'` or `'SIG_IGN'` while the signal has
 *   `process.on` listeners added by neither itimer nor this function.
 * @throws Error ERR_ITIMER_SIGNAL_IN_USE for `'SIG_IGN'` on a signal the timer chain uses
 *   (SIGALRM on the `unix` backend).
 * @example
 * ```js
 * import { sigaction } from 'itimer';
 * console.log(sigaction('SIGPIPE').disposition); // 'ignore': Node ignores SIGPIPE
 * sigaction('SIGUSR2', () => {
 *   console.log('got SIGUSR2');
 *   sigaction('SIGUSR2', 'SIG_DFL');
 * });
 * process.kill(process.pid, 'SIGUSR2');
 * ```
 */
export function sigaction(signal: SignalInput, action?: 'SIG_DFL' | 'SIG_IGN' | SignalHandler): SignalDisposition {
  const number = signalNumber(signal);
  const oldBuffer = queryDisposition(number);
  const previous = readDisposition(oldBuffer, number);
  if (action === undefined) return previous;
  requireMainThread('Changing a signal disposition');
  if (action !== 'SIG_DFL' && action !== 'SIG_IGN' && typeof action !== 'function') {
    throw invalidArgValue('action', action, "must be 'SIG_DFL', 'SIG_IGN' or a function");
  }
  // Re-setting the current action changes nothing but makes the kernel validate the signal.
  checked(host().sigaction(number, oldBuffer, null), 'sigaction');
  const name = signalName(number);
  if (name === undefined) {
    if (typeof action === 'function') {
      throw invalidArgValue('signal', signal, 'has no name Node.js can listen to; only SIG_DFL and SIG_IGN can be set for it');
    }
  } else {
    const ours = handlers.get(number);
    const foreign = userListeners(name).filter((l) => l !== ours).length;
    if (typeof action !== 'function' && foreign > 0) {
      throw itimerError('ERR_ITIMER_SIGNAL_LISTENERS', `${name} has ${foreign} listener(s) added with process.on(); remove them before setting ${action}`);
    }
    const inUse = emulated(name);
    if (action === 'SIG_IGN' && inUse) {
      throw itimerError('ERR_ITIMER_SIGNAL_IN_USE', `${name} is in use by itimer's timer chain (the 'unix' backend); it cannot be ignored while that runs`);
    }
    // Added first: adding can throw (EventEmitter reads the listener's `listener` property,
    // which a proxy may refuse), and then nothing has changed.
    if (typeof action === 'function' && !inUse) process.on(name, action);
    if (ours) process.removeListener(name, ours);
    handlers.delete(number);
    if (typeof action === 'function') handlers.set(number, action);
    if (inUse) {
      // itimer keeps its own listener and emulates the user's disposition (see emulateDisposition).
      emulations.get(name)?.();
      return previous;
    }
    if (typeof action === 'function') return previous;
  }
  if (name !== undefined) {
    if (action === 'SIG_IGN') userIgnored.add(name);
    else userIgnored.delete(name);
  }
  const next = structBuffer('sigaction');
  next.writeBigUInt64LE(action === 'SIG_IGN' ? BigInt(SIG_IGN) : BigInt(SIG_DFL), layoutsFor().sigaction.fields.sa_handler.offset);
  checked(host().sigaction(number, next, null), 'sigaction');
  return previous;
}

/** Signals that were ignored (SIG_IGN in the kernel) when itimer added the first listener. */
const ignoredBeforeListening = new Set<NodeJS.Signals>();

function kernelIgnores(signal: NodeJS.Signals): boolean {
  const handlerAt = layoutsFor().sigaction.fields.sa_handler.offset;
  return queryDisposition(SIGNAL_NUMBERS[signal]!).readBigUInt64LE(handlerAt) === BigInt(SIG_IGN);
}

/**
 * Adds a listener of itimer's own (kqueue's EVFILT_SIGNAL, a signal backend) without
 * losing the disposition the user set: libuv replaces SIG_IGN with its handler while
 * anyone listens, and resets the signal to SIG_DFL when the last listener goes, so a signal
 * ignored before the first listener came is remembered here and ignored again by
 * {@link removeLibraryListener}. (FreeBSD: EVFILT_SIGNAL "coexists with the signal() and
 * sigaction() facilities, and has a lower precedence".)
 */
export function addLibraryListener(signal: NodeJS.Signals, listener: (...args: unknown[]) => void): void {
  requireMainThread(`Listening to ${signal}`);
  if (process.listenerCount(signal) === 0 && kernelIgnores(signal)) ignoredBeforeListening.add(signal);
  let own = libraryListeners.get(signal);
  if (!own) libraryListeners.set(signal, (own = new Set()));
  own.add(listener);
  try {
    process.on(signal, listener);
  } catch (error) {
    own.delete(listener);
    throw error;
  }
}

/**
 * Removes a listener added with {@link addLibraryListener}; when it was the last one,
 * puts back SIG_IGN if the signal was ignored before itimer listened, or the user has
 * since ignored it with {@link sigaction}.
 */
export function removeLibraryListener(signal: NodeJS.Signals, listener: (...args: unknown[]) => void): void {
  process.removeListener(signal, listener);
  libraryListeners.get(signal)?.delete(listener);
  if (process.listenerCount(signal) > 0) return;
  const wasIgnored = ignoredBeforeListening.delete(signal);
  if (!wasIgnored && !userIgnored.has(signal)) return;
  const ignore = structBuffer('sigaction');
  ignore.writeBigUInt64LE(BigInt(SIG_IGN), layoutsFor().sigaction.fields.sa_handler.offset);
  checked(host().sigaction(SIGNAL_NUMBERS[signal]!, ignore, null), 'sigaction');
}
