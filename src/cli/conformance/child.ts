/**
 * Entry point of a conformance child process: `node child.js <case id> [args…]` runs that
 * case's `child` body. Whatever it prints, and how the process ends, is the result.
 * With `ITIMER_CLOCK` set, the timer chain is started on that backend first, so the case
 * runs against the chain (on `unix`, its virtual ITIMER_REAL).
 * @module
 */
import { getChain } from '../../chain/process-chain.js';
import { CASES } from './cases/index.js';

const [id, ...args] = process.argv.slice(2);
const testCase = CASES.find((c) => c.id === id);
if (!testCase?.child) {
  process.stderr.write(`no conformance case with a child body: ${id}\n`);
  process.exit(2);
}
if (process.env['ITIMER_CLOCK']) getChain();
await testCase.child(args);
