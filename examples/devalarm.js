// Akaros' #alarm device, modelled: clone an alarm, bind it to an event queue through its
// ctl file, arm it by writing an absolute time in hex to its timer file.
//
//   node examples/devalarm.js
import { AlarmEvents, chainNow, openAlarmFile, readAlarmDir, registerEventQueue } from 'itimer';

const ctl = openAlarmFile('#alarm/clone'); // creates alarm aN; this handle is its ctl
const id = ctl.read();
const timer = openAlarmFile(`#alarm/a${id}/timer`);
console.log(`alarm a${id}; #alarm lists: ${readAlarmDir('#alarm').join(' ')}`);

const events = new AlarmEvents();
ctl.write(`evq ${registerEventQueue(events)}`);
const wake = chainNow() + 10_000_000; // 10 ms from now, ns on the chain's clock
timer.write(wake.toString(16));

for await (const event of events) {
  console.log(`alarm a${event.id} fired, ${chainNow() >= event.wakeTimeNs ? 'not early' : 'EARLY'}`);
  break;
}
ctl.close();
timer.close(); // the last handle: the alarm is gone
console.log(`after close, #alarm lists: ${readAlarmDir('#alarm').join(' ')}`);
