/**
 * The `--clock LIST` option of `backends` and `probe` (else `ITIMER_CLOCK`), parsed as QEMU
 * parses `-clock`. Apart from usage.ts so that `exec` loads no backend.
 * @module
 */
import type { AlarmConfig } from '../backends/index.js';
import { defaultOrder, parseAlarmConfig } from '../backends/index.js';
import { UsageError } from './usage.js';

/**
 * The backend config of a command's `--clock` option, else `ITIMER_CLOCK`, else the
 * default order; a config string with no valid name is a usage error.
 */
export function clockOption(option: string | undefined, usage: string): AlarmConfig {
  const spec = option ?? process.env['ITIMER_CLOCK'];
  if (!spec) return { order: defaultOrder(), unknown: [], duplicates: [], help: false };
  try {
    return parseAlarmConfig(spec);
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}
