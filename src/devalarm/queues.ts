/**
 * Where `#alarm` expirations go: event queues, and the registry that stands in for the ev_q
 * pointer an Akaros program writes to a ctl (`evq <id>`).
 *
 * A queue is anything with `postAlarm(id)`: a {@link Kqueue} (EVFILT_ALARM events, counts
 * coalesced per alarm) or an {@link AlarmEvents} async iterator (one `{ id, wakeTimeNs }` per
 * expiration). {@link registerEventQueue} gives a queue its id (hex, never reused); a queue
 * that closes is released — its id is refused from then on as an unknown queue (`EFAULT`),
 * alarms bound to it post nowhere, and nothing here keeps it alive.
 * @module
 */
import { invalidArgType, invalidArgValue, validateInteger } from '../posix/validate.js';
import { onKqueueClose } from '../kqueue/kqueue.js';
import { findAlarm, unbindQueue } from './alarms.js';

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
   * @param id The id of the alarm that expired (`#alarm/a<id>`): an integer from 0 to 2^53 − 1.
   * @throws TypeError ERR_INVALID_ARG_TYPE if id is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if id is not an integer from 0 to 2^53 − 1; nothing is
   *   queued then.
   */
  postAlarm(id: number): void {
    validateInteger(id, 'id', 0, Number.MAX_SAFE_INTEGER);
    if (this.#closed) return;
    const event = { id, wakeTimeNs: findAlarm(id)?.wakeTimeNs ?? 0 };
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

/** The registered queue with this id (hex, `0x` optional, any case), if any. */
export function findEventQueue(id: string): AlarmEventQueue | undefined {
  return queues.get(id.replace(/^0x/i, '').toLowerCase());
}

/**
 * Forgets a queue that closed (an {@link AlarmEvents}, or a {@link Kqueue} through the kqueue
 * layer's close hook): its id and its bindings, so that nothing here keeps it alive.
 */
function releaseEventQueue(queue: AlarmEventQueue): void {
  for (const [id, known] of queues) if (known === queue) queues.delete(id);
  unbindQueue(queue);
}
onKqueueClose(releaseEventQueue);
