/**
 * Entry point of a conformance child process: `node child.js <case id> [args…]` runs that
 * case's `child` body. Whatever it prints, and how the process ends, is the result.
 * @module
 */
import { CASES } from './cases/index.js';

const [id, ...args] = process.argv.slice(2);
const testCase = CASES.find((c) => c.id === id);
if (!testCase?.child) {
  process.stderr.write(`no conformance case with a child body: ${id}\n`);
  process.exit(2);
}
await testCase.child(args);
