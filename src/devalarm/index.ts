/**
 * A model of Akaros' `#alarm` device (devalarm) on the timer chain: per-process alarms
 * driven through files. `files.ts` is the device tree and its chans, `alarms.ts` the alarms
 * and their lifetime, `queues.ts` where expirations go (a {@link Kqueue}, as EVFILT_ALARM
 * events, or an {@link AlarmEvents} iterator), `parlib.ts` parlib's helpers.
 * @module
 */
export { AlarmFile, createAlarmFile, openAlarmFile, readAlarmDir, removeAlarmFile, type OpenMode } from './files.js';
export { AlarmEvents, registerEventQueue, type AlarmEvent, type AlarmEventQueue } from './queues.js';
export { devalarmDisable, devalarmGetFds, devalarmGetId, devalarmSetEvq, devalarmSetTime, type AlarmFds } from './parlib.js';
