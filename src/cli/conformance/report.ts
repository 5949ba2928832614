/**
 * Text renderings of conformance reports: a terminal table and Markdown.
 * @module
 */
import type { CaseReport } from './framework.js';

/** Pass/fail counts. */
export function summary(reports: readonly CaseReport[]): { passed: number; failed: number } {
  const passed = reports.filter((r) => r.pass).length;
  return { passed, failed: reports.length - passed };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.flatMap((l) => (l.length > width ? l.match(new RegExp(`.{1,${width}}`, 'g'))! : [l]));
}

/**
 * A table for the terminal: result, case and reference, expected, got (`= expected` when
 * equal, which is what passing means), wrapped to `width` columns.
 */
export function formatTable(reports: readonly CaseReport[], width = 120): string {
  const columns = [
    { title: 'RESULT', width: 6 },
    { title: 'CASE / REFERENCE', width: Math.max(24, Math.floor((width - 12) * 0.3)) },
    { title: 'EXPECTED', width: Math.max(20, Math.floor((width - 12) * 0.35)) },
    { title: 'GOT', width: 0 },
  ];
  const last = columns[3]!;
  last.width = Math.max(20, width - 9 - columns.slice(0, 3).reduce((sum, c) => sum + c.width, 0));
  const row = (cells: string[][]) => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, i) =>
      cells.map((c, j) => (c[i] ?? '').padEnd(columns[j]!.width)).join(' | ').trimEnd(),
    ).join('\n');
  };
  const rule = columns.map((c) => '-'.repeat(c.width)).join('-+-');
  const body = reports.map((r) =>
    row([
      [r.pass ? 'PASS' : 'FAIL'],
      [...wrap(r.id, columns[1]!.width), ...wrap(`(${r.reference})`, columns[1]!.width)],
      wrap(r.expected, columns[2]!.width),
      [...wrap(r.pass ? '= expected' : r.got, last.width), ...(r.note ? wrap(`note: ${r.note}`, last.width) : [])],
    ]),
  );
  return [row(columns.map((c) => [c.title])), rule, ...body.flatMap((b) => [b, rule])].join('\n');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * A Markdown document section: one row per case, with one result column per run
 * (e.g. per FFI driver). Every run must hold the same cases in the same order.
 */
export function formatMarkdown(runs: readonly { label: string; reports: readonly CaseReport[] }[]): string {
  const first = runs[0]?.reports ?? [];
  const header = `| case | what is checked | reference | expected | ${runs.map((r) => r.label).join(' | ')} |`;
  const rule = `|---|---|---|---|${runs.map(() => '---|').join('')}`;
  const rows = first.map((report, i) => {
    const results = runs.map(({ reports }) => {
      const r = reports[i]!;
      return r.pass ? `PASS${r.note ? ` (${cell(r.note)})` : ''}` : `**FAIL**: got ${cell(r.got)}`;
    });
    return `| \`${report.id}\` | ${cell(report.title)} | ${cell(report.reference)} | ${cell(report.expected)} | ${results.join(' | ')} |`;
  });
  const totals = runs.map(({ label, reports }) => {
    const { passed, failed } = summary(reports);
    return `${label}: ${passed} passed, ${failed} failed`;
  });
  return [header, rule, ...rows, '', totals.join('; ')].join('\n');
}
