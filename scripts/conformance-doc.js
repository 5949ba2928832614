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

/**
 * @param {string} label
 * @param {string[]} args
 */
function run(label, args) {
  process.stderr.write(`running the conformance cases: ${label}…\n`);
  let output;
  const env = { ...process.env };
  delete env['ITIMER_CLOCK'];
  try {
    output = execFileSync(process.execPath, ['dist/cli/main.js', 'conformance', '--json', ...args], { cwd: root, encoding: 'utf8', env });
  } catch (error) {
    output = /** @type {{ stdout: string }} */ (error).stdout; // exit 1: some case failed; still report it
  }
  return { label, reports: JSON.parse(output).reports };
}

const runs = [run('koffi', ['--ffi', 'koffi']), run('ffi-napi', ['--ffi', 'ffi-napi'])];
const chainRun = run('chain on unix (koffi)', ['--clock', 'unix']);
const head = readFileSync(docPath, 'utf8').split(marker)[0];
const host = `Linux ${release()}, ${process.arch}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const chainSection =
  '### The ITIMER_REAL cases against the timer chain\n\n' +
  '`itimer conformance --clock unix`: the chain runs on the unix backend, so alarm, ualarm, ' +
  "setitimer/getitimer('real') and pause are served by its virtual ITIMER_REAL.\n\n" +
  formatMarkdown([chainRun]);
/** Reference → cases, from the cases' structured references. */
function referenceMap(/** @type {{ id: string, references: { suite: string, id: string, file?: string }[] }[]} */ reports) {
  /** @type {Map<string, { suite: string, id: string, file?: string, cases: string[] }>} */
  const map = new Map();
  for (const report of reports) {
    for (const ref of report.references) {
      const key = `${ref.suite}\u0000${ref.id}`;
      const entry = map.get(key) ?? { suite: ref.suite, id: ref.id, file: ref.file, cases: [] };
      if (!entry.cases.includes(report.id)) entry.cases.push(report.id);
      map.set(key, entry);
    }
  }
  const rows = [...map.values()].sort((a, b) => a.suite.localeCompare(b.suite) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  return ['| suite | reference | file | case(s) |', '|---|---|---|---|', ...rows.map((r) => `| ${r.suite} | ${r.id} | ${r.file ? `\`${r.file}\`` : ''} | ${r.cases.map((c) => `\`${c}\``).join(', ')} |`)].join('\n');
}

writeFileSync(
  docPath,
  `${head}${marker}\n\nMeasured on: ${host}.\n\n### Every case, against the kernel, through each FFI driver\n\n${formatMarkdown(runs)}\n\n${chainSection}\n\n### References → cases\n\n${referenceMap(runs[0]?.reports ?? [])}\n`,
);
process.stderr.write(`wrote ${docPath.pathname}\n`);
