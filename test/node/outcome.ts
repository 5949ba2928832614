/**
 * How a call ended, in terms that can be compared between itimer and Node: the value it
 * returned or resolved with, or the class, name, code and message of what it threw or
 * rejected with. A promise still pending after one turn of the event loop is 'pending'.
 */
import { setImmediate } from 'node:timers';

export type Outcome =
  | { returned: unknown }
  | { resolved: unknown }
  | 'pending'
  | { threw: ErrorShape }
  | { rejected: ErrorShape };

export interface ErrorShape {
  class: string;
  name: unknown;
  code: unknown;
  message: unknown;
}

/** The built-in class an error is an instance of (Node's AbortError is an Error). */
export function shape(error: unknown): ErrorShape {
  const kind = error instanceof RangeError ? 'RangeError' : error instanceof TypeError ? 'TypeError' : error instanceof Error ? 'Error' : typeof error;
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  return { class: kind, name, code, message };
}

/** 'resolved', 'rejected' or 'pending' after one turn of the event loop. */
export function settled(promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ]);
}

/** Calls `call` and describes how it ended; a returned promise is followed one event-loop turn. */
export async function outcome(call: () => unknown): Promise<Outcome> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return { threw: shape(error) };
  }
  if (!(result instanceof Promise)) return { returned: result };
  let value: unknown;
  let failure: unknown;
  const state = await settled(
    result.then(
      (v: unknown) => (value = v),
      (e: unknown) => {
        failure = e;
        throw e;
      },
    ),
  );
  if (state === 'pending') return 'pending';
  return state === 'resolved' ? { resolved: value } : { rejected: shape(failure) };
}
