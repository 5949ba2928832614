/**
 * Akaros' `#alarm` device model, on the timer chain.
 * @module
 */
export {
  AlarmEvents,
  AlarmFile,
  createAlarmFile,
  devalarmDisable,
  devalarmGetFds,
  devalarmGetId,
  devalarmSetEvq,
  devalarmSetTime,
  openAlarmFile,
  readAlarmDir,
  registerEventQueue,
  removeAlarmFile,
  type AlarmEvent,
  type AlarmFds,
  type AlarmEventQueue,
  type OpenMode,
} from './devalarm.js';
