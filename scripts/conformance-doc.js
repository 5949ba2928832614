// Regenerates docs/conformance.md from `itimer conformance --json`, once per FFI driver.
//
//   npm run build && npm run docs:conformance
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { formatMarkdown } from '../dist/cli/conformance/report.js';

const root = new URL('..', import.meta.url);
const docPath = new URL('docs/conformance.md', root);
const marker = '<!-- generated below: npm run docs:conformance -->';

/** @param {string} driver */
function run(driver) {
  process.stderr.write(`running the conformance cases with ${driver}…\n`);
  let output;
  try {
    output = execFileSync(process.execPath, ['dist/cli/main.js', 'conformance', '--json', '--ffi', driver], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    output = /** @type {{ stdout: string }} */ (error).stdout; // exit 1: some case failed; still report it
  }
  return { label: driver, reports: JSON.parse(output).reports };
}

const runs = [run('koffi'), run('ffi-napi')];
const head = readFileSync(docPath, 'utf8').split(marker)[0];
const host = `Linux ${release()}, ${process.arch}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
writeFileSync(docPath, `${head}${marker}\n\nMeasured on: ${host}.\n\n${formatMarkdown(runs)}\n`);
process.stderr.write(`wrote ${docPath.pathname}\n`);
