/**
 * The libc functions the host layer binds, in a driver-neutral notation.
 *
 * One table, read by every FFI driver, so the drivers cannot disagree about a signature.
 * Types are the C types that matter for the calling convention on LP64 Linux; `timer_t`
 * is passed as `long` because glibc returns the kernel's timer id in a pointer-sized
 * value for SIGEV_SIGNAL / SIGEV_NONE / SIGEV_THREAD_ID timers (the first id is 0, a NULL
 * pointer, and it is valid). Variadic functions (`fcntl`, `prctl`) list their fixed
 * arguments in `args` and the variadic ones in `variadic`, and are declared variadic to
 * the driver, as the C ABI requires.
 * @module
 */

/** A C type as the drivers understand it. `pointer` arguments take a `Buffer` or `null`. */
export type CType = 'int' | 'uint' | 'long' | 'ulong' | 'pointer' | 'string' | 'stringArray';

/** A C function signature. */
export interface Prototype {
  /** The return type. */
  readonly ret: 'int' | 'uint' | 'long';
  /** Fixed arguments. */
  readonly args: readonly CType[];
  /** Arguments after the `...` of a variadic function. */
  readonly variadic?: readonly CType[];
}

/** Every function the host layer binds. `fork` is deliberately absent: see docs/process.md, "Why not fork". */
export const PROTOTYPES = {
  alarm: { ret: 'uint', args: ['uint'] },
  setitimer: { ret: 'int', args: ['int', 'pointer', 'pointer'] },
  getitimer: { ret: 'int', args: ['int', 'pointer'] },
  timer_create: { ret: 'int', args: ['int', 'pointer', 'pointer'] },
  timer_settime: { ret: 'int', args: ['long', 'int', 'pointer', 'pointer'] },
  timer_gettime: { ret: 'int', args: ['long', 'pointer'] },
  timer_getoverrun: { ret: 'int', args: ['long'] },
  timer_delete: { ret: 'int', args: ['long'] },
  timerfd_create: { ret: 'int', args: ['int', 'int'] },
  timerfd_settime: { ret: 'int', args: ['int', 'int', 'pointer', 'pointer'] },
  timerfd_gettime: { ret: 'int', args: ['int', 'pointer'] },
  clock_gettime: { ret: 'int', args: ['int', 'pointer'] },
  clock_getres: { ret: 'int', args: ['int', 'pointer'] },
  clock_settime: { ret: 'int', args: ['int', 'pointer'] },
  sigaction: { ret: 'int', args: ['int', 'pointer', 'pointer'] },
  sigprocmask: { ret: 'int', args: ['int', 'pointer', 'pointer'] },
  sigtimedwait: { ret: 'int', args: ['pointer', 'pointer', 'pointer'] },
  kill: { ret: 'int', args: ['int', 'int'] },
  raise: { ret: 'int', args: ['int'] },
  pause: { ret: 'int', args: [] },
  getpid: { ret: 'int', args: [] },
  gettid: { ret: 'int', args: [] },
  read: { ret: 'long', args: ['int', 'pointer', 'ulong'] },
  close: { ret: 'int', args: ['int'] },
  execvp: { ret: 'int', args: ['string', 'stringArray'] },
  execve: { ret: 'int', args: ['string', 'stringArray', 'stringArray'] },
  fcntl: { ret: 'int', args: ['int', 'int'], variadic: ['long'] },
  prctl: { ret: 'int', args: ['int'], variadic: ['ulong', 'ulong', 'ulong', 'ulong'] },
} as const satisfies Record<string, Prototype>;

/** Names of the bound functions. */
export type HostFunctionName = keyof typeof PROTOTYPES;

/** The JavaScript type a driver accepts for a C type. */
export type JsArg<T extends CType> = T extends 'pointer'
  ? Buffer | null
  : T extends 'string'
    ? string
    : T extends 'stringArray'
      ? readonly string[]
      : number;

type JsArgs<T extends readonly CType[]> = { -readonly [I in keyof T]: JsArg<T[I]> };
type AllArgs<P extends Prototype> = P extends { variadic: infer V extends readonly CType[] }
  ? [...JsArgs<P['args']>, ...JsArgs<V>]
  : JsArgs<P['args']>;

/**
 * The raw libc calls: each returns what the C function returns (`-1` with `errno` set on
 * failure); nothing is checked here.
 */
export type HostCalls = {
  readonly [K in HostFunctionName]: (...args: AllArgs<(typeof PROTOTYPES)[K]>) => number;
} & {
  /** `errno` as left by the last call on this thread. */
  errno(): number;
};

/** What an FFI driver module provides. */
export interface FfiDriver {
  /** The driver's name, as `ITIMER_FFI` spells it. */
  readonly name: FfiDriverName;
  /** Binds every prototype from the C library at `libraryPath` (each on first use). */
  bind(libraryPath: string): HostCalls;
}

/**
 * The table of calls a driver returns: each function is declared to the FFI library on its
 * first use, then stays a plain property (declaring all of them up front took ~2 ms of the
 * first timer's start-up).
 */
export function lazyCalls(errno: () => number, declare: (name: HostFunctionName, proto: Prototype) => (...args: never[]) => number): HostCalls {
  const calls: Record<string, unknown> = { errno };
  for (const [name, proto] of Object.entries(PROTOTYPES) as [HostFunctionName, Prototype][]) {
    Object.defineProperty(calls, name, {
      configurable: true,
      enumerable: true,
      get() {
        const fn = declare(name, proto);
        Object.defineProperty(calls, name, { value: fn, enumerable: true });
        return fn;
      },
    });
  }
  return calls as HostCalls;
}

/** The FFI drivers the host layer knows. */
export type FfiDriverName = 'koffi' | 'ffi-napi';
