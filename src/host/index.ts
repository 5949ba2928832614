/**
 * The host layer: the only part of itimer that touches an FFI library.
 *
 * The FFI driver is loaded lazily, on the first call that needs libc (or on the first turn
 * of the event loop after the import), so importing itimer loads no native code and the
 * library can be bundled into a V8 startup snapshot.
 * The driver is chosen by {@link selectFfiDriver}, else the `ITIMER_FFI` environment
 * variable (`koffi`, the default, or `ffi-napi`).
 * @module
 */
import { ffiNapiDriver } from './ffi-napi-driver.js';
import { koffiDriver } from './koffi-driver.js';
import type { FfiDriver, FfiDriverName, HostCalls } from './prototypes.js';
import { invalidArgValue, itimerError, syscallError } from './errors.js';
import { loadKoffi } from './require.js';

export { koffiLoaded } from './require.js';

export type { FfiDriverName, HostCalls, HostFunctionName, CType, Prototype } from './prototypes.js';
export { PROTOTYPES } from './prototypes.js';
export {
  syscallError,
  isSyscallError,
  itimerError,
  invalidArgType,
  invalidArgValue,
  outOfRange,
  illegalConstructor,
  ITIMER_ERRORS,
  type SyscallError,
  type CodedError,
  type ItimerError,
  type ItimerErrorCode,
} from './errors.js';
export { watchReadable, type PollWatcher } from './poll.js';
export { layoutsFor, ARCH_LAYOUTS, type ArchLayouts, type StructLayout, type FieldLayout } from './layouts.js';

/** The C library every driver binds. */
const LIBC = 'libc.so.6';

const DRIVERS: Record<FfiDriverName, () => FfiDriver> = { koffi: () => koffiDriver(), 'ffi-napi': () => ffiNapiDriver() };

let requested: FfiDriverName | undefined;
let loaded: { name: FfiDriverName; calls: HostCalls } | undefined;

function checkDriverName(name: unknown, source: string): FfiDriverName {
  if (typeof name === 'string' && Object.hasOwn(DRIVERS, name)) return name as FfiDriverName;
  throw invalidArgValue(source, name, `must be one of ${Object.keys(DRIVERS).map((n) => `'${n}'`).join(', ')}`);
}

/**
 * Chooses the FFI driver. Call it before the first libc call; afterwards only the driver
 * already loaded may be named again.
 * @param name `'koffi'` (default) or `'ffi-napi'`.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an unknown name; Error `ERR_ITIMER_FFI_DRIVER`
 *   when another driver is already loaded.
 */
export function selectFfiDriver(name: FfiDriverName): void {
  const checked = checkDriverName(name, 'name');
  if (loaded && loaded.name !== checked) {
    throw itimerError('ERR_ITIMER_FFI_DRIVER', `The FFI driver '${loaded.name}' is already loaded; choose '${checked}' before the first timer call`);
  }
  requested = checked;
}

/**
 * The name of the FFI driver in use, or the one that will be loaded on first use.
 * @returns `'koffi'` or `'ffi-napi'`: the driver loaded, else the one chosen with
 *   {@link selectFfiDriver}, else the `ITIMER_FFI` environment variable, else `'koffi'`.
 * @throws TypeError ERR_INVALID_ARG_VALUE if no driver is loaded or chosen and `ITIMER_FFI`
 *   names none of them.
 */
export function ffiDriverName(): FfiDriverName {
  return loaded?.name ?? requested ?? checkDriverName(process.env['ITIMER_FFI'] || 'koffi', 'ITIMER_FFI');
}

/** The bound libc functions, loading the driver on first use. */
export function host(): HostCalls {
  if (!loaded) {
    const name = ffiDriverName();
    loaded = { name, calls: DRIVERS[name]().bind(LIBC) };
  }
  return loaded.calls;
}

/**
 * Loads koffi now (the slow part of the first FFI call: ~4 ms here) without binding any
 * call, so {@link selectFfiDriver} stays free. Failures are left for the first real call
 * to report.
 */
export function preloadFfi(): void {
  try {
    loadKoffi();
  } catch {
    // reported by the first call that needs it
  }
}

/**
 * Returns `result` unless it is `-1`, in which case throws the errno error of `syscall`.
 * Call it straight after the libc call, before anything else can change `errno`.
 */
export function checked(result: number, syscall: string, calls: HostCalls = host()): number {
  if (result === -1) throw syscallError(calls.errno(), syscall);
  return result;
}

let koffiCalls: HostCalls | undefined;

/**
 * The calls the timer chain's backends make on every re-arm and wake-up, always through
 * koffi whatever driver {@link selectFfiDriver} chose for the POSIX API: koffi is a
 * dependency in any case (its poll watcher), costs ~0.1 µs a call, and retains nothing,
 * where the ffi-napi driver grows by kilobytes per call (docs/reliability.md). Check results
 * with `checked(result, syscall, hotPathCalls())`, so errno comes from the same driver.
 */
export function hotPathCalls(): HostCalls {
  if (loaded?.name === 'koffi') return loaded.calls;
  return (koffiCalls ??= DRIVERS.koffi().bind(LIBC));
}
