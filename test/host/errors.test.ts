import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { constants } from 'node:os';
import { ITIMER_ERRORS, isSyscallError } from '../../src/index.js';
import { illegalConstructor, invalidArgType, invalidArgValue, itimerError, outOfRange, syscallError } from '../../src/host/errors.js';

const root = new URL('../../', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The code column of docs/errors.md's "Codes" table. */
function documentedCodes(): Set<string> {
  const table = doc.slice(doc.indexOf('## Codes'));
  return new Set([...table.matchAll(/^\| `([A-Z_*]+)`/gm)].map((m) => m[1]!));
}

test('docs/errors.md lists exactly the ERR_ITIMER_* codes of the error module', (t) => {
  const documented = [...documentedCodes()].filter((code) => code.startsWith('ERR_ITIMER_')).sort();
  t.deepEqual(documented, Object.keys(ITIMER_ERRORS).sort());
});

test('every error code written in the source is defined in the error module and documented', (t) => {
  const documented = documentedCodes();
  const missing: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file.includes('/cli/conformance/')) continue; // the conformance cases quote codes they expect, they throw none
    const text = readFileSync(file, 'utf8');
    for (const [, code] of text.matchAll(/'((?:ERR_[A-Z_]+)|ABORT_ERR)'/g)) {
      if (code === 'ERR_PARSE_ARGS') continue; // node:util's parseArgs codes, caught by the CLI, never thrown by the library
      if (code!.startsWith('ERR_ITIMER_') && !Object.hasOwn(ITIMER_ERRORS, code!)) missing.push(`${file}: ${code} is not in ITIMER_ERRORS`);
      if (!documented.has(code!)) missing.push(`${file}: ${code} is not in docs/errors.md`);
    }
    // A library code must go through itimerError, not an ad-hoc Object.assign.
    if (/code: 'ERR_ITIMER_/.test(text) && !file.endsWith('host/errors.ts')) missing.push(`${file}: assigns an ERR_ITIMER_* code by hand`);
  }
  t.deepEqual(missing, []);
});

test('errno-named errors always carry errno and syscall', (t) => {
  const error = syscallError(constants.errno.ENOENT, 'open', '#alarm/a9');
  t.like(error, { code: 'ENOENT', errno: -constants.errno.ENOENT, syscall: 'open', message: "ENOENT: no such file or directory, open '#alarm/a9'" });
  t.true(isSyscallError(error));
  t.like(syscallError(95, 'timer_create'), { code: 'ENOTSUP', errno: -95, message: 'ENOTSUP: operation not supported, timer_create' });
  t.like(syscallError(9999, 'x'), { code: 'Unknown system error 9999', errno: -9999, syscall: 'x' });
});

test('itimerError makes a plain Error with the code and an optional cause', (t) => {
  const cause = new Error('inner');
  const error = itimerError('ERR_ITIMER_NO_CLI', 'no CLI', { cause });
  t.is(Object.getPrototypeOf(error), Error.prototype);
  t.like(error, { code: 'ERR_ITIMER_NO_CLI', message: 'no CLI', cause });
  t.false(isSyscallError(error));
});

test('argument errors describe any value without running its code (getters, proxies, toString)', (t) => {
  const trap = () => {
    throw new Error('user code ran');
  };
  const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap });
  const sneaky = { get constructor() { return trap(); }, toString: trap, [Symbol.toPrimitive]: trap };
  for (const value of [proxy, sneaky, Object.create(null), new Proxy(() => {}, { get: trap }), Symbol('s'), 10n ** 30n]) {
    t.is(invalidArgType('x', 'of type number', value).code, 'ERR_INVALID_ARG_TYPE');
    t.is(invalidArgValue('x', value).code, 'ERR_INVALID_ARG_VALUE');
    t.is(outOfRange('x', 'an integer', value).code, 'ERR_OUT_OF_RANGE');
  }
  t.is(invalidArgType('x', 'of type number', [1]).message, 'The "x" argument must be of type number. Received an instance of Array');
  t.is(invalidArgType('x', 'of type number', proxy).message, 'The "x" argument must be of type number. Received an object');
  t.is(outOfRange('x', 'an integer', -0).message, 'The value of "x" is out of range. It must be an integer. Received -0');
  t.is(outOfRange('x', 'an integer', 2n ** 64n).message, 'The value of "x" is out of range. It must be an integer. Received 18_446_744_073_709_551_616n');
  t.like(illegalConstructor(), { code: 'ERR_ILLEGAL_CONSTRUCTOR', message: 'Illegal constructor', name: 'TypeError' });
});
