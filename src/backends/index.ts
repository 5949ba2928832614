/**
 * Host alarm backends (QEMU `alarm_timers[]`) and the config string that orders them.
 * @module
 */
export type { AlarmBackend, BackendName } from './types.js';
export type { UnixBackend } from './unix.js';
export type { VirtualBackend } from './virtual.js';
export { BACKENDS, backendInfo, configMessages, defaultOrder, describeBackends, parseAlarmConfig, type AlarmConfig } from './config.js';
export { monotonicNowNs } from './time.js';
