/**
 * Text renderings of conformance reports: a terminal table and Markdown.
 * @module
 */
import type { CaseReport } from './framework.js';

/** Pass / fail / skip counts (a skipped case is neither passed nor failed). */
export function summary(reports: readonly CaseReport[]): { passed: number; failed: number; skipped: number } {
  const passed = reports.filter((r) => r.pass).length;
  const skipped = reports.filter((r) => r.skipped !== undefined).length;
  return { passed, failed: reports.length - passed - skipped, skipped };
}

/** `PASS`, `FAIL` or `SKIP`. */
function verdict(report: CaseReport): string {
  return report.skipped !== undefined ? 'SKIP' : report.pass ? 'PASS' : 'FAIL';
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
 * equal, which is what passing means), wrapped to `width` columns (80 at least: the
 * narrowest columns add up to 79).
 */
export function formatTable(reports: readonly CaseReport[], width = 80): string {
  const free = Math.max(80, width) - 6 - 9; // RESULT and the three ' | ' separators
  const caseWidth = Math.max(18, Math.floor(free * 0.3));
  const expectedWidth = Math.max(18, Math.floor(free * 0.35));
  const columns = [
    { title: 'RESULT', width: 6 },
    { title: 'CASE / REFERENCE', width: caseWidth },
    { title: 'EXPECTED', width: expectedWidth },
    { title: 'GOT', width: free - caseWidth - expectedWidth },
  ];
  const last = columns[3]!;
  const row = (cells: string[][]) => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, i) =>
      cells.map((c, j) => (c[i] ?? '').padEnd(columns[j]!.width)).join(' | ').trimEnd(),
    ).join('\n');
  };
  const rule = columns.map((c) => '-'.repeat(c.width)).join('-+-');
  const body = reports.map((r) =>
    row([
      [verdict(r)],
      [...wrap(r.id, columns[1]!.width), ...wrap(`(${r.reference})`, columns[1]!.width)],
      wrap(r.expected, columns[2]!.width),
      r.skipped !== undefined
        ? wrap(`skipped: ${r.skipped}`, last.width)
        : [...wrap(r.pass ? '= expected' : r.got, last.width), ...(r.note ? wrap(`note: ${r.note}`, last.width) : [])],
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
      if (r.skipped !== undefined) return `SKIP (${cell(r.skipped)})`;
      return r.pass ? `PASS${r.note ? ` (${cell(r.note)})` : ''}` : `**FAIL**: got ${cell(r.got)}`;
    });
    return `| \`${report.id}\` | ${cell(report.title)} | ${cell(report.reference)} | ${cell(report.expected)} | ${results.join(' | ')} |`;
  });
  const totals = runs.map(({ label, reports }) => {
    const { passed, failed, skipped } = summary(reports);
    return `${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
  });
  return [header, rule, ...rows, '', totals.join('; ')].join('\n');
}
