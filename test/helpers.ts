import type { ExecutionContext } from 'ava';

/** Asserts that `fn` throws the fs-style syscall error `code` from `syscall`. */
export function throwsSyscall(t: ExecutionContext, fn: () => unknown, code: string, syscall: string): void {
  const error = t.throws(fn) as (Error & { code?: string; syscall?: string; errno?: number }) | undefined;
  t.is(error?.code, code);
  t.is(error?.syscall, syscall);
  t.true((error?.errno ?? 0) < 0, 'errno is negative, as in Node');
  t.is(error?.message.startsWith(`${code}: `), true);
}
