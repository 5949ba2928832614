// kevent()-style event queue: a periodic timer, a one-shot timer and a user event, read
// with one kevent() call at a time; expirations coalesce into `data`.
//
//   node examples/kqueue-timers.js
import { EV_ADD, EV_CLEAR, EV_ONESHOT, EVFILT_TIMER, EVFILT_USER, Kqueue, NOTE_TRIGGER, NOTE_USECONDS } from 'itimer';

const kq = new Kqueue();
const PERIODIC = 1;
const DEADLINE = 2;
const DONE = 3;

await kq.kevent([
  { ident: PERIODIC, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_USECONDS, data: 2500 }, // every 2.5 ms
  { ident: DEADLINE, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, data: 20 }, // once, after 20 ms
  { ident: DONE, filter: EVFILT_USER, flags: EV_ADD | EV_CLEAR },
]);

let ticks = 0;
for (;;) {
  const [event] = await kq.kevent([], 1); // wait for the next event
  if (!event) continue;
  if (event.ident === PERIODIC) ticks += event.data;
  if (event.ident === DEADLINE) {
    console.log(`deadline: at least 8 periodic expirations by then: ${ticks >= 8}`);
    await kq.kevent([{ ident: DONE, filter: EVFILT_USER, fflags: NOTE_TRIGGER }]);
  }
  if (event.ident === DONE) break;
}
kq.close();
console.log('done');
