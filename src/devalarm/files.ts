/**
 * The `#alarm` device's files (Akaros devalarm's device tree, a Plan 9 device):
 *
 * ```
 * #alarm/            clone, a0, a1, …   (listing: the alarms alive now)
 * #alarm/clone       opening it creates an alarm and gives its ctl; read: the alarm id
 * #alarm/aN/ctl      write "evq <queue>" (where expirations go) or "cancel"; read: the id
 * #alarm/aN/timer    write an absolute time in hex (chain ns, see chainNow) to arm or
 *                    re-arm; "0" disarms; read: the wake time (decimal, as Akaros' readnum)
 * ```
 *
 * An open file is an {@link AlarmFile} (a chan). A handle on an alarm's ctl or timer holds
 * the alarm (Akaros krefs it per open chan); when the last one closes, the alarm is
 * cancelled and leaves the listing. Directory handles hold nothing.
 *
 * Errors are the seed's, as errno errors (`code`, `errno`, `syscall`): writing a directory or
 * creating/removing files is EPERM, opening a directory for writing EISDIR, a missing alarm
 * ENOENT, an unknown ctl command ENOSYS ("<cmd>: not implemented"), `evq` without a target
 * EINVAL ("evq needs a pointer"), an unknown target EFAULT ("Non-user ev_q pointer"). A
 * refused write changes nothing: the timer file reads back its previous value.
 * @module
 */
import { constants } from 'node:os';
import { illegalConstructor, invalidArgType, invalidArgValue, syscallError } from '../host/index.js';
import type { ProcAlarm } from './alarms.js';
import { alarmIds, createAlarm, findAlarm } from './alarms.js';
import { findEventQueue } from './queues.js';

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
  if (!findAlarm(id)) throw syscallError(constants.errno.ENOENT, 'open');
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
    alarm?.hold();
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
      alarm.setWakeTime(wake);
      return text.length;
    }
    const [command, argument] = text.trim().split(/\s+/);
    if (command === 'evq') {
      if (argument === undefined) throw syscallError(constants.errno.EINVAL, 'write', 'evq needs a pointer');
      const queue = findEventQueue(argument);
      if (!queue) throw syscallError(constants.errno.EFAULT, 'write', 'Non-user ev_q pointer');
      alarm.queue = queue;
    } else if (command === 'cancel') {
      alarm.cancel();
    } else {
      throw syscallError(constants.errno.ENOSYS, 'write', `${command}: not implemented`);
    }
    return text.length;
  }

  /** Closes the handle; the last close of an alarm's handles cancels and removes the alarm. */
  close(): void {
    this.#live('close');
    this.#open = false;
    this.#alarm?.release();
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
    const alarm = createAlarm();
    return new AlarmFile(CONSTRUCT, `#alarm/a${alarm.id}/ctl`, 'ctl', alarm, mode);
  }
  // Only ctl and timer chans kref the alarm (Akaros alarmopen/alarmclose); a directory holds none.
  return new AlarmFile(CONSTRUCT, path, kind, kind === 'ctl' || kind === 'timer' ? findAlarm(id!) : undefined, mode);
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
  if (kind === 'top') return ['clone', ...alarmIds().map((id) => `a${id}`)];
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
