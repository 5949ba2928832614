/**
 * `itimer/devalarm`: Akaros' `#alarm` device model on the timer chain — clone an alarm, arm it
 * by writing an absolute time to its `timer` file, receive its events on an event queue
 * (docs/events.md).
 * @module
 */
export * from './devalarm/index.js';
