/**
 * A pthread_atfork(3)-like registry, fired on the process-image transitions Node has.
 *
 * In Node 20 the child of fork(2) cannot run JavaScript (V8 marks its heap MADV_DONTFORK;
 * the child dies at its first allocation), so the three phases fire on:
 *
 * | transition                              | phase fired        |
 * |-----------------------------------------|--------------------|
 * | exec through the library (execvp/execve) | `before`           |
 * | exec failed (the call returned)         | `afterInParent`    |
 * | V8 startup snapshot serialised          | `before`           |
 * | snapshot deserialised in a new process  | `afterInChild`     |
 *
 * Ordering is pthread_atfork's: `before` handlers in reverse order of registration, the
 * others in order of registration. A handler registered while a transition runs is not run
 * for it. A handler that throws is reported on stderr (synchronously: an exec does not wait
 * for the next tick) and does not stop the others.
 * @module
 */
import { startupSnapshot } from 'node:v8';
import { invalidArgType } from './validate.js';

/** The handlers of one registration; at least one is required. */
export interface AtForkHandlers {
  /** Before the transition (exec, snapshot serialisation). */
  before?: () => void;
  /** In the old image after a transition that did not happen (exec failed). */
  afterInParent?: () => void;
  /** In the new image (snapshot deserialised). */
  afterInChild?: () => void;
}

/** A phase of a transition. */
export type AtForkPhase = keyof AtForkHandlers;

const registrations: AtForkHandlers[] = [];

// V8 startup snapshots: the builder serialises this image; a new process deserialises it.
if (startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.addSerializeCallback(() => runAtFork('before'));
  startupSnapshot.addDeserializeCallback(() => runAtFork('afterInChild'));
}

/**
 * Registers handlers run around process-image transitions (pthread_atfork(3) ordering).
 * @param handlers `before`, `afterInParent` and `afterInChild`, each optional, own or inherited
 *   (a class instance's methods work); each is read once, here, so later changes to the object
 *   have no effect, and called with the object as `this`.
 * @returns a function that unregisters them.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` unless at least one handler is a function and
 *   every given handler is one.
 * @example
 * ```js
 * import { registerAtFork } from 'itimer';
 * const unregister = registerAtFork({ before: () => console.log('about to exec'), afterInParent: () => console.log('exec failed') });
 * console.log(typeof unregister); // 'function': call it to remove the handlers
 * unregister();
 * ```
 */
export function registerAtFork(handlers: AtForkHandlers): () => void {
  if (typeof handlers !== 'object' || handlers === null) throw invalidArgType('handlers', 'of type object', handlers);
  const registration: AtForkHandlers = {};
  for (const phase of ['before', 'afterInParent', 'afterInChild'] as const) {
    const handler: unknown = handlers[phase]; // read once: own or inherited (a class's methods)
    if (handler === undefined) continue;
    if (typeof handler !== 'function') throw invalidArgType(`handlers.${phase}`, 'of type function', handler);
    registration[phase] = () => handler.call(handlers);
  }
  if (Object.keys(registration).length === 0) throw invalidArgType('handlers', 'an object with at least one of before, afterInParent, afterInChild', handlers);
  registrations.push(registration);
  return () => {
    const index = registrations.indexOf(registration);
    if (index >= 0) registrations.splice(index, 1);
  };
}

/**
 * @internal Runs one phase: the registrations as they were when the phase began, `before`
 * in reverse order. Returns the errors the handlers threw (also reported on stderr).
 */
export function runAtFork(phase: AtForkPhase): unknown[] {
  const snapshot = registrations.slice();
  if (phase === 'before') snapshot.reverse();
  const errors: unknown[] = [];
  for (const registration of snapshot) {
    const handler = registration[phase];
    if (!handler) continue;
    try {
      handler();
    } catch (error) {
      errors.push(error);
      process.stderr.write(`itimer: an atfork ${phase} handler threw: ${(error as Error)?.stack ?? String(error)}\n`);
    }
  }
  return errors;
}
