/**
 * The package as users get it: self-reference from the repository, and the packed tarball
 * installed into a fresh project (ESM import, require(esm) on Node ≥ 20.19, the bin).
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function node(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }).trim();
}

test('the repository imports itself by name (after npm run build)', (t) => {
  t.is(node(root, '--input-type=module', '-e', "import { alarm } from 'itimer'; console.log(alarm(0));"), '0');
});

test('the packed tarball installs and works by import, require and its bin', (t) => {
  t.timeout(180_000);
  const packDir = mkdtempSync(join(tmpdir(), 'itimer-pack-'));
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1)!;
  const project = mkdtempSync(join(tmpdir(), 'itimer-user-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', private: true }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', join(packDir, tarball)], { cwd: project, encoding: 'utf8' });
  t.is(install.status, 0, install.stderr);
  t.is(node(project, '--input-type=module', '-e', "import { alarm, ITIMER_REAL } from 'itimer'; console.log(alarm(0), ITIMER_REAL);"), '0 0');
  t.is(node(project, '-e', "const { getitimer } = require('itimer'); console.log(JSON.stringify(getitimer('real')));"), '{"value":{"sec":0,"usec":0},"interval":{"sec":0,"usec":0}}');
  t.regex(execFileSync(join(project, 'node_modules/.bin/itimer'), ['--version'], { encoding: 'utf8' }), /^\d+\.\d+\.\d+\n$/);
});
