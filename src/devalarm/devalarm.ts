/**
 * A model of Akaros' `#alarm` device (devalarm): per-process alarms driven through files.
 *
 * ```
 * #alarm/            clone, a0, a1, …   (listing: the alarms alive now)
 * #alarm/clone       opening it creates an alarm and gives its ctl; read: the alarm id
 * #alarm/aN/ctl      write "evq <queue>" (where expirations go) or "cancel"; read: the id
 * #alarm/aN/timer    write an absolute time in hex (chain ns, see chainNow) to arm or
 *                    re-arm; "0" disarms; read: the wake time (decimal, as Akaros' readnum)
 * ```
 *
 * An alarm lives while any handle to its ctl or timer is open (Akaros krefs the alarm per
 * open chan); when the last one closes, the alarm is cancelled and leaves the listing.
 * Expirations are posted to the bound event queue: a {@link Kqueue} (as EVFILT_ALARM
 * events, ident = alarm id, data = expirations since the last retrieval) or an
 * {@link AlarmEvents} iterator. The alarms run on the process's timer chain.
 *
 * Errors are the seed's, as errno errors (`code`, `errno`, `syscall`): writing a directory or
 * creating/removing files is EPERM, opening a directory for writing EISDIR, a missing alarm
 * ENOENT, an unknown ctl command ENOSYS ("<cmd>: not implemented"), `evq` without a target
 * EINVAL ("evq needs a pointer"), an unknown target EFAULT ("Non-user ev_q pointer"). A
 * refused write changes nothing: the timer file reads back its previous value.
 * @module
 */
import { constants } from 'node:os';
import { illegalConstructor, invalidArgType, invalidArgValue, outOfRange, syscallError } from '../host/index.js';
import { Timer } from '../chain/index.js';
import { getChain } from '../chain/process-chain.js';
import { onKqueueClose } from '../kqueue/kqueue.js';

/** Where an alarm's expirations go. */
export interface AlarmEventQueue {
  /**
   * Called once per expiration of alarm `id`.
   * @param id The id of the alarm that expired (`#alarm/a<id>`).
   * @throws Never, by contract: it runs in the timer chain's round, and an error it throws is
   *   rethrown from `process.nextTick` as an uncaught exception.
   */
  postAlarm(id: number): void;
  /** True once the queue takes no more events: {@link registerEventQueue} refuses it then. */
  readonly closed?: boolean;
}

/** An expiration delivered by an {@link AlarmEvents} iterator. */
export interface AlarmEvent {
  /** The alarm id (Akaros `ev_arg3`). */
  id: number;
  /** When it was due, ns on the chain's time base. */
  wakeTimeNs: number;
}

/**
 * An event queue that is an async iterator of alarm expirations; bind it with
 * `evq <id>` (from {@link registerEventQueue}) or {@link devalarmSetEvq}.
 *
 * Any number of iterators may read it at once: each expiration goes to exactly one of them,
 * the one that has waited longest (FIFO), or, when none waits, is queued for the next
 * `next()`. {@link AlarmEvents.close} ends every iterator.
 */
export class AlarmEvents implements AlarmEventQueue, AsyncIterable<AlarmEvent> {
  readonly #queued: AlarmEvent[] = [];
  /** Iterators waiting for an expiration, longest first; resolved with undefined at close. */
  readonly #waiting: ((event: AlarmEvent | undefined) => void)[] = [];
  #closed = false;

  /** True once {@link AlarmEvents.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues an expiration of alarm `id` for the longest-waiting iterator (the device calls it;
   * after {@link AlarmEvents.close} it does nothing).
   * @param id The id of the alarm that expired (`#alarm/a<id>`).
   * @throws Never: it only queues the event, or drops it once closed.
   */
  postAlarm(id: number): void {
    if (this.#closed) return;
    const event = { id, wakeTimeNs: alarms.get(id)?.wakeTimeNs ?? 0 };
    const waiter = this.#waiting.shift();
    if (waiter) waiter(event);
    else this.#queued.push(event);
  }

  /**
   * Ends the iteration: every waiting iterator ends, the others end once they have taken the
   * expirations already queued. The queue leaves the registry of {@link registerEventQueue}
   * (its id is refused from then on) and alarms bound to it post nowhere.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    releaseEventQueue(this);
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
  }

  /**
   * Expirations in order, waiting for each, until closed.
   * @returns an async iterator of the expirations posted, in order, shared with any other
   *   iterator of this queue (each expiration is delivered once); once closed, it delivers
   *   those already queued and ends.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<AlarmEvent> {
    for (;;) {
      while (this.#queued.length > 0) yield this.#queued.shift()!;
      if (this.#closed) return;
      const event = await new Promise<AlarmEvent | undefined>((resolve) => this.#waiting.push(resolve));
      if (event === undefined) return;
      yield event;
    }
  }
}

/** One alarm of the set (Akaros `struct proc_alarm`). Invariant: in `alarms` exactly while `refs > 0`. */
class ProcAlarm {
  readonly id: number;
  refs = 0;
  queue: AlarmEventQueue | undefined;
  wakeTimeNs = 0;
  readonly timer: Timer;

  constructor(id: number) {
    this.id = id;
    // Armed, an alarm keeps the process alive, as a setTimeout does.
    this.timer = new Timer(() => this.queue?.postAlarm(this.id));
  }
}

const alarms = new Map<number, ProcAlarm>();
let nextAlarmId = 0;
const queues = new Map<string, AlarmEventQueue>();
let nextQueueId = 1;

/**
 * Registers an event queue for `evq <id>` writes and returns its id (hex), the analogue of
 * the ev_q pointer an Akaros program writes. A {@link Kqueue} or {@link AlarmEvents} is
 * released when it is closed: its id is then refused as an unknown queue (`EFAULT`).
 * @param queue A {@link Kqueue}, an {@link AlarmEvents}, or any object with a `postAlarm` method.
 * @returns the queue's id in lowercase hex without `0x` (`'1'`, `'2'`, …); the same id again
 *   for a queue already registered. Ids are never reused.
 * @throws TypeError ERR_INVALID_ARG_TYPE if queue has no `postAlarm` method.
 * @throws TypeError ERR_INVALID_ARG_VALUE if queue is closed (its `closed` property is true).
 */
export function registerEventQueue(queue: AlarmEventQueue): string {
  if (typeof queue?.postAlarm !== 'function') throw invalidArgType('queue', 'a Kqueue or AlarmEvents', queue);
  if (queue.closed === true) throw invalidArgValue('queue', queue, 'is closed');
  for (const [id, known] of queues) if (known === queue) return id;
  const id = (nextQueueId++).toString(16);
  queues.set(id, queue);
  return id;
}

/**
 * Forgets a queue that closed (an {@link AlarmEvents}, or a {@link Kqueue} through the kqueue
 * layer's close hook): its id and its bindings, so that nothing here keeps it alive.
 */
function releaseEventQueue(queue: AlarmEventQueue): void {
  for (const [id, known] of queues) if (known === queue) queues.delete(id);
  for (const alarm of alarms.values()) if (alarm.queue === queue) alarm.queue = undefined;
}
onKqueueClose(releaseEventQueue);

/** The names in an `#alarm/aN` directory. */
const ALARM_DIR_NAMES = ['ctl', 'timer'] as const;

type FileKind = 'top' | 'clone' | 'dir' | 'ctl' | 'timer';

/** Lets only this module construct {@link AlarmFile}s. */
const CONSTRUCT = Symbol('AlarmFile');

function parse(path: string): { kind: FileKind; id?: number } {
  if (typeof path !== 'string') throw invalidArgType('path', 'of type string', path);
  const parts = path.replace(/\/+$/, '').split('/');
  if (parts[0] !== '#alarm') throw syscallError(constants.errno.ENOENT, 'open');
  if (parts.length === 1) return { kind: 'top' };
  if (parts.length === 2 && parts[1] === 'clone') return { kind: 'clone' };
  const match = /^a(\d+)$/.exec(parts[1] ?? '');
  if (!match || parts.length > 3) throw syscallError(constants.errno.ENOENT, 'open');
  const id = Number(match[1]);
  if (!alarms.has(id)) throw syscallError(constants.errno.ENOENT, 'open');
  if (parts.length === 2) return { kind: 'dir', id };
  if (parts[2] === 'ctl' || parts[2] === 'timer') return { kind: parts[2], id };
  throw syscallError(constants.errno.ENOENT, 'open');
}

/** How a file is opened. */
export type OpenMode = 'r' | 'w' | 'rw';

/**
 * An open `#alarm` file (a Plan 9 chan). A handle on an alarm's ctl or timer holds the alarm;
 * closing the last such handle releases it. Directory handles hold no alarm.
 */
export class AlarmFile implements Disposable {
  /** The path it was opened as. */
  readonly path: string;
  readonly #kind: FileKind;
  readonly #alarm: ProcAlarm | undefined;
  readonly #mode: OpenMode;
  #open = true;

  /** @hidden Use {@link openAlarmFile}; anything else is `ERR_ILLEGAL_CONSTRUCTOR`. */
  constructor(token: typeof CONSTRUCT, path: string, kind: FileKind, alarm: ProcAlarm | undefined, mode: OpenMode) {
    if (token !== CONSTRUCT) throw illegalConstructor();
    this.path = path;
    this.#kind = kind;
    this.#alarm = alarm;
    this.#mode = mode;
    if (alarm) alarm.refs++;
  }

  #live(syscall: string): void {
    if (!this.#open) throw syscallError(constants.errno.EBADF, syscall);
  }

  /** The alarm id, for handles on an alarm's ctl or timer; undefined for the directories. */
  get alarmId(): number | undefined {
    return this.#alarm?.id;
  }

  /**
   * Reads the file: the id (ctl, clone), the wake time (timer), or the listing (directories, one name a line).
   * @returns in decimal, the alarm id (ctl) or the wake time last written, in chain
   *   nanoseconds (timer; 0 if none); or the directory's names joined by newlines (an
   *   `#alarm/aN` handle lists `ctl` and `timer` even once the alarm is gone, as Akaros'
   *   alarmgen does; opening them then fails with `ENOENT`).
   * @throws Error `EBADF` (read) if the handle is closed or was opened with mode `'w'`.
   */
  read(): string {
    this.#live('read');
    if (this.#mode === 'w') throw syscallError(constants.errno.EBADF, 'read');
    switch (this.#kind) {
      case 'ctl':
        return String(this.#alarm!.id);
      case 'timer':
        return String(this.#alarm!.wakeTimeNs);
      case 'dir':
        return ALARM_DIR_NAMES.join('\n'); // as alarmgen: whether or not the alarm still lives
      default:
        return readAlarmDir().join('\n');
    }
  }

  /**
   * Writes a command (ctl) or a time (timer).
   * @param text For a ctl: `evq <queue id>` (the hex id from {@link registerEventQueue}, `0x`
   *   optional) or `cancel`. For a timer: an absolute time on the chain's time base, in
   *   nanoseconds, in hex (`0x` optional, surrounding white space ignored); `0` disarms.
   * @returns the number of characters written.
   * @throws Error `EBADF` (write) if the handle is closed or was opened with mode `'r'`; `EPERM`
   *   (write) on a directory.
   * @throws TypeError ERR_INVALID_ARG_TYPE if text is not a string.
   * @throws TypeError ERR_INVALID_ARG_VALUE if a timer's text is not hex digits or exceeds
   *   2^53 − 1.
   * @throws Error on a ctl (syscall `write`): `EINVAL` for `evq` without an id, `EFAULT` for an
   *   id no queue was registered with, `ENOSYS` for any other command.
   */
  write(text: string): number {
    this.#live('write');
    if (typeof text !== 'string') throw invalidArgType('text', 'of type string', text);
    if (this.#kind === 'top' || this.#kind === 'dir') throw syscallError(constants.errno.EPERM, 'write');
    if (this.#mode === 'r') throw syscallError(constants.errno.EBADF, 'write');
    const alarm = this.#alarm!;
    if (this.#kind === 'timer') {
      const trimmed = text.trim();
      const wake = /^(0x)?[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed.replace(/^0x/i, ''), 16) : NaN;
      if (!Number.isSafeInteger(wake)) throw invalidArgValue('text', text, `must be an absolute time in hex, at most ${Number.MAX_SAFE_INTEGER.toString(16)}`);
      if (wake === 0) getChain().cancel(alarm.timer); // devalarm_disable
      else alarm.timer.rearmAbsolute(wake); // reset_alarm_abs: armed or not
      alarm.wakeTimeNs = wake;
      return text.length;
    }
    const [command, argument] = text.trim().split(/\s+/);
    if (command === 'evq') {
      if (argument === undefined) throw syscallError(constants.errno.EINVAL, 'write', 'evq needs a pointer');
      const queue = queues.get(argument.replace(/^0x/i, '').toLowerCase());
      if (!queue) throw syscallError(constants.errno.EFAULT, 'write', 'Non-user ev_q pointer');
      alarm.queue = queue;
    } else if (command === 'cancel') {
      getChain().cancel(alarm.timer);
    } else {
      throw syscallError(constants.errno.ENOSYS, 'write', `${command}: not implemented`);
    }
    return text.length;
  }

  /** Closes the handle; the last close of an alarm's handles cancels and removes the alarm. */
  close(): void {
    this.#live('close');
    this.#open = false;
    const alarm = this.#alarm;
    if (alarm && --alarm.refs === 0) {
      getChain().cancel(alarm.timer);
      alarms.delete(alarm.id);
    }
  }

  /** Closes the handle unless already closed (for `using`). */
  [Symbol.dispose](): void {
    if (this.#open) this.close();
  }
}

/**
 * Opens an `#alarm` file. Opening `#alarm/clone` creates a new alarm and returns a handle
 * on its ctl.
 * @param path `#alarm`, `#alarm/clone`, `#alarm/a<id>`, or `#alarm/a<id>/ctl` or `/timer`
 *   (trailing slashes ignored).
 * @param mode `'r'`, `'w'` or `'rw'` (the default); directories open only with `'r'`.
 * @returns the open handle: on the new alarm's ctl for `#alarm/clone`, else on path.
 * @throws Error `EISDIR` (open) opening a directory for writing; `ENOENT` (open) for a path
 *   outside the device, a missing file, or an alarm that does not exist (any more).
 * @throws TypeError ERR_INVALID_ARG_VALUE if mode is not `'r'`, `'w'` or `'rw'`.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is not a string.
 */
export function openAlarmFile(path: string, mode: OpenMode = 'rw'): AlarmFile {
  if (mode !== 'r' && mode !== 'w' && mode !== 'rw') throw invalidArgValue('mode', mode, "must be 'r', 'w' or 'rw'");
  const { kind, id } = parse(path);
  if ((kind === 'top' || kind === 'dir') && mode !== 'r') throw syscallError(constants.errno.EISDIR, 'open');
  if (kind === 'clone') {
    const alarm = new ProcAlarm(nextAlarmId++);
    alarms.set(alarm.id, alarm);
    return new AlarmFile(CONSTRUCT, `#alarm/a${alarm.id}/ctl`, 'ctl', alarm, mode);
  }
  // Only ctl and timer chans kref the alarm (Akaros alarmopen/alarmclose); a directory holds none.
  return new AlarmFile(CONSTRUCT, path, kind, kind === 'ctl' || kind === 'timer' ? alarms.get(id!) : undefined, mode);
}

/**
 * Lists a directory of the device: `#alarm` (clone and the live alarms) or `#alarm/aN`.
 * @param path The directory; default `#alarm`.
 * @returns the names in it: `clone` then `a<id>` for each live alarm, or `ctl` and `timer`.
 * @throws Error `ENOENT` (open) for a path that does not exist; `ENOTDIR` (readdir) for a file.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is given and not a string.
 */
export function readAlarmDir(path = '#alarm'): string[] {
  const { kind } = parse(path);
  if (kind === 'top') return ['clone', ...[...alarms.keys()].map((id) => `a${id}`)];
  if (kind === 'dir') return [...ALARM_DIR_NAMES];
  throw syscallError(constants.errno.ENOTDIR, 'readdir');
}

/**
 * Creating files in the device is not permitted (Akaros `alarmcreate`).
 * @param path The file that would be created.
 * @throws Error `EPERM` (create) whenever the directory it would be created in exists.
 * @throws Error `ENOENT` (open) if that directory does not exist.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is not a string.
 */
export function createAlarmFile(path: string): never {
  if (typeof path !== 'string') throw invalidArgType('path', 'of type string', path);
  parse(path.replace(/\/[^/]*$/, '') || path);
  throw syscallError(constants.errno.EPERM, 'create');
}

/**
 * Removing files of the device is not permitted (Akaros `alarmremove`).
 * @param path The file that would be removed.
 * @throws Error `EPERM` (remove) always, once path exists.
 * @throws Error `ENOENT` (open) if path does not exist.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is not a string.
 */
export function removeAlarmFile(path: string): never {
  parse(path);
  throw syscallError(constants.errno.EPERM, 'remove');
}

// ---- parlib helpers (Akaros parlib/alarm.c), as a thin API ----

function alarmFile(value: unknown, name: string): AlarmFile {
  if (!(value instanceof AlarmFile)) throw invalidArgType(name, 'an AlarmFile', value);
  return value;
}

/** What {@link devalarmGetFds} returns. */
export interface AlarmFds {
  /** The alarm's ctl, open. */
  ctl: AlarmFile;
  /** The alarm's timer, open. */
  timer: AlarmFile;
  /** The alarm id. */
  id: number;
}

/**
 * `devalarm_get_fds`: a new alarm, with its ctl and timer open.
 * @returns the new alarm's id and its ctl and timer handles, opened `'rw'`; the alarm lives
 *   until both are closed.
 */
export function devalarmGetFds(): AlarmFds {
  const ctl = openAlarmFile('#alarm/clone');
  const id = Number(ctl.read());
  const timer = openAlarmFile(`#alarm/a${id}/timer`);
  return { ctl, timer, id };
}

/**
 * `devalarm_set_evq`: expirations of the alarm behind `file` go to `queue`.
 * @param file A handle on the alarm's ctl or timer.
 * @param queue Where its expirations go: an open {@link Kqueue} or {@link AlarmEvents}
 *   (registered with {@link registerEventQueue} if it is not yet).
 * @throws TypeError ERR_INVALID_ARG_TYPE if file is not an {@link AlarmFile}, or queue has no
 *   `postAlarm` method.
 * @throws TypeError ERR_INVALID_ARG_VALUE if file is a directory (`#alarm` or `#alarm/aN`: on
 *   no alarm), or queue is closed.
 * @throws Error `ENOENT` (open) if the alarm no longer exists (its last handle was closed).
 */
export function devalarmSetEvq(file: AlarmFile, queue: AlarmEventQueue): void {
  const id = alarmFile(file, 'file').alarmId;
  if (id === undefined) throw invalidArgValue('file', file.path, 'must be an alarm ctl or timer');
  const ctl = openAlarmFile(`#alarm/a${id}/ctl`, 'w');
  try {
    ctl.write(`evq ${registerEventQueue(queue)}`);
  } finally {
    ctl.close();
  }
}

/**
 * `devalarm_set_time`: arms (or re-arms) at absolute `timeNs` on the chain's time base.
 * @param timer A handle on the alarm's timer file.
 * @param timeNs The expiry in nanoseconds on the chain's time base (see {@link chainNow}), from 1 to
 *   2^53 − 1.
 * @throws TypeError ERR_INVALID_ARG_TYPE if timer is not an {@link AlarmFile} or timeNs is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if timeNs is not an integer from 1 to 2^53 − 1.
 * @throws Error `EBADF` (write) if the handle is closed or read-only, `EPERM` if it is a
 *   directory, `ENOSYS` if it is a ctl (the time is taken as a command).
 */
export function devalarmSetTime(timer: AlarmFile, timeNs: number): void {
  alarmFile(timer, 'timer');
  if (typeof timeNs !== 'number') throw invalidArgType('timeNs', 'of type number', timeNs);
  if (!Number.isSafeInteger(timeNs) || timeNs <= 0) throw outOfRange('timeNs', `an integer >= 1 && <= ${Number.MAX_SAFE_INTEGER} (0 disarms: use devalarmDisable)`, timeNs);
  timer.write(timeNs.toString(16));
}

/**
 * `devalarm_get_id`: the alarm id an event reports.
 * @param event A kevent from a {@link Kqueue} (EVFILT_ALARM) or an event of {@link AlarmEvents}.
 * @returns the event's `ident` if it has one, else its `id`.
 * @throws TypeError ERR_INVALID_ARG_TYPE if event is not an object.
 * @throws TypeError ERR_INVALID_ARG_VALUE if that `ident` or `id` is not a number.
 */
export function devalarmGetId(event: { ident: number } | AlarmEvent): number {
  if (typeof event !== 'object' || event === null) throw invalidArgType('event', 'a kevent or an AlarmEvent', event);
  const id = 'ident' in event ? event.ident : event.id;
  if (typeof id !== 'number') throw invalidArgValue('event', event, 'must have a numeric ident (kevent) or id (AlarmEvent)');
  return id;
}

/**
 * `devalarm_disable`: disarms the alarm (writes 0 to its timer).
 * @param timer A handle on the alarm's timer file.
 * @throws TypeError ERR_INVALID_ARG_TYPE if timer is not an {@link AlarmFile}.
 * @throws Error `EBADF` (write) if the handle is closed or read-only, `EPERM` if it is a
 *   directory, `ENOSYS` if it is a ctl (`0` is taken as a command).
 */
export function devalarmDisable(timer: AlarmFile): void {
  alarmFile(timer, 'timer').write('0');
}
