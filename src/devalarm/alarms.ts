/**
 * The process's alarms (Akaros `struct proc_alarm` and the set devalarm keeps of them): each
 * has an id (never reused), the event queue its expirations go to, the wake time last
 * written, and one chain timer. An alarm lives while handles to its ctl or timer are open
 * (Akaros krefs it per open chan): `hold` and `release` count them, and the last release
 * cancels the timer and forgets the alarm, so it leaves the listing.
 *
 * Invariant: an alarm is in the set exactly while `refs > 0`. Armed, an alarm keeps the
 * process alive, as a `setTimeout` does.
 * @module
 */
import { Timer } from '../chain/index.js';
import { getChain } from '../chain/process-chain.js';
import type { AlarmEventQueue } from './queues.js';

/** One alarm (Akaros `struct proc_alarm`). */
export class ProcAlarm {
  readonly id: number;
  /** Open ctl and timer handles. */
  refs = 0;
  /** Where expirations go; undefined until `evq`, or once the queue closed. */
  queue: AlarmEventQueue | undefined;
  /** The wake time last written to the timer file, chain ns (0: none, or disarmed). */
  wakeTimeNs = 0;
  readonly timer: Timer;

  constructor(id: number) {
    this.id = id;
    this.timer = new Timer(() => this.queue?.postAlarm(this.id));
  }

  /** Arms (or re-arms) at `wakeTimeNs` on the chain's time base (Akaros `reset_alarm_abs`); 0 disarms. */
  setWakeTime(wakeTimeNs: number): void {
    if (wakeTimeNs === 0) getChain().cancel(this.timer); // devalarm_disable
    else this.timer.rearmAbsolute(wakeTimeNs);
    this.wakeTimeNs = wakeTimeNs;
  }

  /** Disarms (ctl `cancel`); the wake time stays as written. */
  cancel(): void {
    getChain().cancel(this.timer);
  }

  /** A handle on the alarm was opened. */
  hold(): void {
    this.refs++;
  }

  /** A handle on the alarm was closed: the last one cancels it and removes it from the set. */
  release(): void {
    if (--this.refs > 0) return;
    this.cancel();
    alarms.delete(this.id);
  }
}

const alarms = new Map<number, ProcAlarm>();
let nextAlarmId = 0;

/** A new alarm, in the set (with no handle yet: the caller holds it at once). */
export function createAlarm(): ProcAlarm {
  const alarm = new ProcAlarm(nextAlarmId++);
  alarms.set(alarm.id, alarm);
  return alarm;
}

/** The live alarm with this id, if any. */
export function findAlarm(id: number): ProcAlarm | undefined {
  return alarms.get(id);
}

/** The ids of the live alarms, oldest first. */
export function alarmIds(): number[] {
  return [...alarms.keys()];
}

/** Unbinds every alarm bound to `queue` (it closed): their expirations go nowhere. */
export function unbindQueue(queue: AlarmEventQueue): void {
  for (const alarm of alarms.values()) if (alarm.queue === queue) alarm.queue = undefined;
}
