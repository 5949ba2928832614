/**
 * `itimer backends`: QEMU's `-clock help`, with what starts on this host.
 * @module
 */
import { parseArgs } from 'node:util';
import type { BackendName } from '../../backends/index.js';
import { BACKENDS, backendInfo, configMessages } from '../../backends/index.js';
import { clockOption } from '../clock-option.js';

export const BACKENDS_USAGE = `Usage: itimer backends [--clock LIST] [--json]

Lists the alarm backends in order of precedence for LIST (default: ITIMER_CLOCK, else the
default order), marks the ones that start on this host, and the one a timer chain would
run on. Backends LIST leaves out are shown as disabled.

  --clock LIST   A config string, e.g. dynticks,unix (QEMU -clock semantics); 'help' works too.
  --json         Machine-readable output.`;

/** Whether a backend can start here: started, then stopped at once. */
function probeStart(name: BackendName): { starts: boolean; reason?: string } {
  const backend = backendInfo(name).create();
  try {
    backend.start(() => {});
    backend.stop();
    return { starts: true };
  } catch (error) {
    return { starts: false, reason: (error as Error).message };
  }
}

export function backendsCommand(args: string[]): number {
  const { values } = parseArgs({ args, options: { clock: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${BACKENDS_USAGE}\n`);
    return 0;
  }
  const config = clockOption(values.clock, BACKENDS_USAGE);
  const { order } = config; // with 'help', the current (default) order
  const messages = configMessages(config);
  const rows = [...order, ...BACKENDS.map((b) => b.name).filter((n) => !order.includes(n))].map((name) => ({
    name,
    enabled: order.includes(name),
    ...probeStart(name),
    description: backendInfo(name).create().description,
  }));
  const active = rows.find((r) => r.enabled && r.starts)?.name ?? null;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ order, active, messages, backends: rows }, null, 2)}\n`);
    return 0;
  }
  for (const message of messages) process.stderr.write(`itimer: ${message}\n`);
  const lines = ['Available alarm timers, in order of precedence:'];
  for (const row of rows) {
    const state = !row.enabled ? 'disabled' : row.starts ? (row.name === active ? 'starts, ACTIVE' : 'starts') : 'does not start';
    lines.push(`  ${row.name.padEnd(9)} ${state.padEnd(15)} ${row.description}${row.reason ? ` (${row.reason})` : ''}`);
  }
  lines.push(active ? `A timer chain started with this order runs on ${active}.` : 'No enabled backend starts here.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
