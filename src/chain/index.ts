/**
 * The userspace timer chain and the public timers on it.
 * @module
 */
export {
  MIN_TIMER_REARM_NS,
  SPIN_MARGIN_AUTO_MAX_NS,
  SPIN_MARGIN_INITIAL_NS,
  SPIN_MARGIN_MAX_NS,
  SPIN_MARGIN_MIN_NS,
  TimerChain,
  Waiter,
  type ChainOptions,
  type ChainStats,
} from './chain.js';
export type { PassStats } from './timer-list.js';
export {
  activeAlarm,
  availableAlarms,
  configureAlarms,
  getChain,
  setRearmFloor,
  type ConfigureReport,
} from './process-chain.js';
export { alarm, chainOwnsItimerReal, getitimer, pause, setitimer, ualarm } from './itimer-real.js';
export {
  alarmSignal,
  chainNow,
  clearTimer,
  delayToNs,
  setTimer,
  sleep,
  Timer,
  type Delay,
  type DelayUnits,
  type TimerCallback,
  type TimerOptions,
  type TimerConstructorOptions,
  type SleepOptions,
  type Spin,
} from './timers.js';
export { virtualTime, type VirtualTimeInstall } from './virtual-time.js';
