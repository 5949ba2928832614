/**
 * The API reference documents, for every public function, method and constructor, each
 * parameter, the return value and the errors (`npm run docs:audit`, over typedoc's model of
 * the same entry points as the API site). typedoc's own notDocumented gate, run by CI, only
 * checks that a comment exists.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('every public signature documents its parameters, return value and errors', (t) => {
  t.timeout(120_000);
  const audit = spawnSync(process.execPath, ['scripts/api-doc-audit.js'], { cwd: root, encoding: 'utf8' });
  t.is(audit.status, 0, audit.stdout + audit.stderr);
  t.regex(audit.stdout, /^every public signature documents its parameters, return value and errors\n$/);
});
