/**
 * Every conformance case, in report order.
 * @module
 */
import type { ConformanceCase } from '../framework.js';
import { alarmCases } from './alarm.js';
import { clockCases } from './clock.js';
import { itimerCases } from './itimer.js';
import { processCases } from './process.js';
import { referenceCases } from './references.js';
import { signalCases } from './signal.js';
import { snapshotCases } from './snapshot.js';
import { timerCases } from './timer.js';

/** All cases: alarm/ualarm, setitimer/getitimer, POSIX timers, signals, clocks, other reference suites, process boundaries, snapshots. */
export const CASES: readonly ConformanceCase[] = [...alarmCases, ...itimerCases, ...timerCases, ...signalCases, ...clockCases, ...referenceCases, ...processCases, ...snapshotCases];
