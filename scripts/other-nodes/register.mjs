// Run by scripts/other-nodes.js on each Node under --import itimer/register: what the program
// gets for the globals and for Node's timer modules, imported and required. Prints one JSON line.
import { createRequire } from 'node:module';
import { setTimeout as imported } from 'node:timers';
import * as chainTimers from 'itimer/timers';
import { registration } from 'itimer/register';
const require = createRequire(import.meta.url);
/** @param {unknown} a @param {unknown} b */
const same = (a, b) => a === b;
console.log(JSON.stringify({
  globals: same(setTimeout, chainTimers.setTimeout),
  imported: same(imported, chainTimers.setTimeout),
  required: same(require('node:timers').setTimeout, chainTimers.setTimeout),
  registration: registration().modules,
}));
