/**
 * C struct layouts per architecture.
 *
 * Every struct that crosses the FFI boundary is described here as byte offsets, so the
 * rest of the library reads and writes plain `Buffer`s (cheaper than FFI struct objects
 * on hot paths). A test compiles a C program with the host compiler and checks every
 * size and offset below against `sizeof`/`offsetof` on the machine it runs on.
 *
 * Invariants: every field offset + field size <= struct size; all `long`, `time_t`,
 * pointer and `timer_t` fields are 8 bytes on the LP64 architectures listed here.
 * @module
 */
import { itimerError } from './errors.js';

/** Byte offset and size of one field of a C struct. */
export interface FieldLayout {
  /** Offset from the start of the struct, in bytes. */
  readonly offset: number;
  /** Size of the field, in bytes. */
  readonly size: number;
}

/** Size of a C struct and the fields the library reads or writes. */
export interface StructLayout<F extends string = string> {
  /** `sizeof(struct ...)` in bytes. */
  readonly size: number;
  /** Fields by their C name. */
  readonly fields: { readonly [K in F]: FieldLayout };
}

/** The layouts of every struct the host layer passes to libc. */
export interface ArchLayouts {
  /** `struct timeval` (setitimer/getitimer). */
  readonly timeval: StructLayout<'tv_sec' | 'tv_usec'>;
  /** `struct itimerval`. */
  readonly itimerval: StructLayout<'it_interval' | 'it_value'>;
  /** `struct timespec` (clock_gettime, POSIX timers, timerfd). */
  readonly timespec: StructLayout<'tv_sec' | 'tv_nsec'>;
  /** `struct itimerspec`. */
  readonly itimerspec: StructLayout<'it_interval' | 'it_value'>;
  /** `struct sigevent` (timer_create). `sigev_notify_thread_id` is glibc's `_sigev_un._tid`. */
  readonly sigevent: StructLayout<'sigev_value' | 'sigev_signo' | 'sigev_notify' | 'sigev_notify_thread_id'>;
  /** glibc's `struct sigaction` (not the kernel's: libc translates). */
  readonly sigaction: StructLayout<'sa_handler' | 'sa_mask' | 'sa_flags'>;
  /** `siginfo_t`, with the members of its `_kill` and `_timer` unions that the library reads. */
  readonly siginfo: StructLayout<'si_signo' | 'si_code' | 'si_pid' | 'si_uid' | 'si_timerid' | 'si_overrun' | 'si_value'>;
  /** glibc's `sigset_t` (1024 bits; the kernel uses the first 64). */
  readonly sigset: StructLayout<never>;
  /** `timer_t` as glibc returns it from timer_create (a pointer-sized value). */
  readonly timer_t: StructLayout<never>;
}

/** Linux with glibc on an LP64 architecture (x86_64 and aarch64 agree on every struct here). */
const linuxLp64: ArchLayouts = {
  timeval: { size: 16, fields: { tv_sec: { offset: 0, size: 8 }, tv_usec: { offset: 8, size: 8 } } },
  itimerval: { size: 32, fields: { it_interval: { offset: 0, size: 16 }, it_value: { offset: 16, size: 16 } } },
  timespec: { size: 16, fields: { tv_sec: { offset: 0, size: 8 }, tv_nsec: { offset: 8, size: 8 } } },
  itimerspec: { size: 32, fields: { it_interval: { offset: 0, size: 16 }, it_value: { offset: 16, size: 16 } } },
  sigevent: {
    size: 64,
    fields: {
      sigev_value: { offset: 0, size: 8 },
      sigev_signo: { offset: 8, size: 4 },
      sigev_notify: { offset: 12, size: 4 },
      sigev_notify_thread_id: { offset: 16, size: 4 },
    },
  },
  sigaction: {
    size: 152,
    fields: { sa_handler: { offset: 0, size: 8 }, sa_mask: { offset: 8, size: 128 }, sa_flags: { offset: 136, size: 4 } },
  },
  siginfo: {
    size: 128,
    fields: {
      si_signo: { offset: 0, size: 4 },
      si_code: { offset: 8, size: 4 },
      si_pid: { offset: 16, size: 4 },
      si_uid: { offset: 20, size: 4 },
      si_timerid: { offset: 16, size: 4 },
      si_overrun: { offset: 20, size: 4 },
      si_value: { offset: 24, size: 8 },
    },
  },
  sigset: { size: 128, fields: {} },
  timer_t: { size: 8, fields: {} },
};

/** Layouts by Node's `process.arch` name. */
export const ARCH_LAYOUTS: Readonly<Record<string, ArchLayouts>> = {
  x64: linuxLp64,
  arm64: linuxLp64,
};

/**
 * The layouts for an architecture.
 * @param arch A `process.arch` value; defaults to this process's.
 * @throws Error with code `ERR_ITIMER_UNSUPPORTED_ARCH` when the library has no layouts for it.
 */
export function layoutsFor(arch: string = process.arch): ArchLayouts {
  if (typeof arch !== 'string' || !Object.hasOwn(ARCH_LAYOUTS, arch)) {
    throw itimerError(
      'ERR_ITIMER_UNSUPPORTED_ARCH',
      `itimer has no C struct layouts for architecture ${typeof arch === 'string' ? `'${arch}'` : typeof arch} (supported: ${Object.keys(ARCH_LAYOUTS).join(', ')})`,
    );
  }
  return ARCH_LAYOUTS[arch]!;
}
