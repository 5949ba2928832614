/**
 * The backend table and QEMU's `configure_alarms` semantics for choosing from it.
 *
 * A config string is a comma-separated list of backend names. Named backends move to the
 * front in the order given; an unknown name is reported and skipped; a name already
 * placed is ignored; every backend not named is disabled; `help` lists the table in
 * order of precedence; a string with no valid name is an error that lists them.
 * Unlike QEMU, nothing is printed and nothing exits: the caller gets a report.
 * @module
 */
import { invalidArgType, itimerError } from '../host/index.js';
import { dynticksBackend } from './dynticks.js';
import { libuvBackend } from './libuv.js';
import { timerfdBackend } from './timerfd.js';
import type { AlarmBackend, BackendName } from './types.js';
import { unixBackend } from './unix.js';
import { virtualBackend } from './virtual.js';

/**
 * The backends in default order of precedence, with their constructors (creating a backend
 * acquires nothing: `start` does), whether they are enabled by default, and what the chain
 * must know before choosing one (the same as the instances declare; a test checks it): whether
 * it needs the FFI (a V8 startup snapshot builder, which cannot hold native handles, can use
 * only the others), whether it takes something process-wide — a signal, or ITIMER_REAL itself.
 */
export const BACKENDS: readonly {
  readonly name: BackendName;
  readonly create: () => AlarmBackend;
  readonly byDefault: boolean;
  readonly ffi: boolean;
  readonly signal: boolean;
  readonly adoptsItimerReal: boolean;
}[] = [
  { name: 'timerfd', create: timerfdBackend, byDefault: true, ffi: true, signal: false, adoptsItimerReal: false },
  { name: 'dynticks', create: dynticksBackend, byDefault: true, ffi: true, signal: true, adoptsItimerReal: false },
  { name: 'unix', create: unixBackend, byDefault: true, ffi: true, signal: true, adoptsItimerReal: true },
  { name: 'libuv', create: libuvBackend, byDefault: true, ffi: false, signal: false, adoptsItimerReal: false },
  { name: 'virtual', create: virtualBackend, byDefault: false, ffi: false, signal: false, adoptsItimerReal: false },
];

/** What {@link parseAlarmConfig} made of a config string. */
export interface AlarmConfig {
  /** The backends enabled, in order of precedence. */
  order: BackendName[];
  /** Names that matched no backend ("Unknown clock" in QEMU), skipped. */
  unknown: string[];
  /** Names given again after being placed, ignored. */
  duplicates: string[];
  /** True when the string asked for `help`: `order` is then the current table, unchanged. */
  help: boolean;
}

/** The row of {@link BACKENDS} for a backend name. */
export function backendInfo(name: BackendName): (typeof BACKENDS)[number] {
  return BACKENDS.find((backend) => backend.name === name)!;
}

/** The default order: every backend that is chosen without being named. */
export function defaultOrder(): BackendName[] {
  return BACKENDS.filter((b) => b.byDefault).map((b) => b.name);
}

/** What a config string's unknown and repeated names mean, one line each (QEMU's "Unknown clock"). */
export function configMessages(config: AlarmConfig): string[] {
  return [...config.unknown.map((n) => `Unknown clock ${n}`), ...config.duplicates.map((n) => `Ignored duplicate clock ${n}`)];
}

/**
 * A listing of the backends in order of precedence (QEMU `show_available_alarms`).
 * @param order the backend names to list, in order (default: every backend, in the table's order).
 * @returns the line `Available alarm timers, in order of precedence:` followed by one name a
 *   line, as given (the names are not checked against the table).
 * @throws TypeError ERR_INVALID_ARG_TYPE if order is not an array of strings.
 */
export function describeBackends(order: readonly BackendName[] = BACKENDS.map((b) => b.name)): string {
  if (!Array.isArray(order) || !order.every((name) => typeof name === 'string')) throw invalidArgType('order', 'an array of backend names', order);
  return ['Available alarm timers, in order of precedence:', ...order].join('\n');
}

/**
 * Parses a config string with `configure_alarms` semantics.
 * @param spec e.g. `'dynticks,unix'`, or `'help'`.
 * @throws Error with code `ERR_ITIMER_NO_ALARM_BACKEND`, listing the backends, when no name is valid.
 */
export function parseAlarmConfig(spec: string, current: readonly BackendName[] = defaultOrder()): AlarmConfig {
  if (typeof spec !== 'string') {
    throw invalidArgType('spec', 'of type string', spec);
  }
  const names = spec.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 1 && (names[0] === 'help' || names[0] === '?')) return { order: [...current], unknown: [], duplicates: [], help: true };
  const known = new Set<string>(BACKENDS.map((b) => b.name));
  const order: BackendName[] = [];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  for (const name of names) {
    if (!known.has(name)) unknown.push(name);
    else if (order.includes(name as BackendName)) duplicates.push(name);
    else order.push(name as BackendName);
  }
  if (order.length === 0) {
    throw itimerError(
      'ERR_ITIMER_NO_ALARM_BACKEND',
      `No valid alarm backend in '${spec}'${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}.\n${describeBackends()}`,
    );
  }
  return { order, unknown, duplicates, help: false };
}
