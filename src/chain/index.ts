/**
 * The userspace timer chain and the public timers on it.
 * @module
 */
export { MIN_TIMER_REARM_NS, TimerChain, type ChainOptions, type ChainStats } from './chain.js';
export { SPIN_MARGIN_INITIAL_NS, SPIN_MARGIN_MAX_NS, Waiter } from './waiter.js';
export { SPIN_MARGIN_AUTO_MAX_NS, SPIN_MARGIN_MIN_NS } from './spin-calibration.js';
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
export { delayToNs, type Delay, type DelayUnits, type Spin } from './delay.js';
export { chainNow, clearTimer, setTimer, Timer, type TimerCallback, type TimerOptions, type TimerConstructorOptions } from './timer.js';
export { sleep, type SleepOptions } from './sleep.js';
export { alarmSignal } from './alarm-signal.js';
export { virtualTime, type VirtualTimeInstall } from './virtual-time.js';

import { warmUpChainCode } from './warm-up.js';

// Compiles the chain's hot paths while the module loads (see warm-up.ts).
warmUpChainCode();
