/**
 * The struct layouts the library declares must be what the C compiler says on this machine.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCH_LAYOUTS, layoutsFor } from '../../src/host/index.js';
import type { ArchLayouts, StructLayout } from '../../src/host/index.js';

const structs = (layouts: ArchLayouts) => Object.entries(layouts) as [string, StructLayout][];

const C_NAMES: Record<string, string> = {
  timeval: 'struct timeval',
  itimerval: 'struct itimerval',
  timespec: 'struct timespec',
  itimerspec: 'struct itimerspec',
  sigevent: 'struct sigevent',
  sigaction: 'struct sigaction',
  siginfo: 'siginfo_t',
  sigset: 'sigset_t',
  timer_t: 'timer_t',
};
/** Field names that are not C member names (glibc's si_* names are macros for the union members). */
const C_FIELDS: Record<string, string> = { sigev_notify_thread_id: '_sigev_un._tid' };

test('struct sizes and field offsets match the C compiler on this machine', (t) => {
  const layouts = layoutsFor();
  const lines: string[] = [];
  for (const [name, layout] of structs(layouts)) {
    const type = C_NAMES[name]!;
    lines.push(`printf("${name} %zu\\n", sizeof(${type}));`);
    for (const [field] of Object.entries(layout.fields)) {
      const member = C_FIELDS[field] ?? field;
      lines.push(`printf("${name}.${field} %zu %zu\\n", offsetof(${type}, ${member}), sizeof(((${type} *)0)->${member}));`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'itimer-layout-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, 'layout.c');
  writeFileSync(
    source,
    `#define _GNU_SOURCE\n#include <stddef.h>\n#include <stdio.h>\n#include <signal.h>\n#include <time.h>\n#include <sys/time.h>\nint main(void) {\n${lines.join('\n')}\nreturn 0;\n}\n`,
  );
  execFileSync('cc', ['-o', join(dir, 'layout'), source]);
  const compiler = execFileSync(join(dir, 'layout'), { encoding: 'utf8' }).trim().split('\n');
  const declared = structs(layouts).flatMap(([name, layout]) => [
    `${name} ${layout.size}`,
    ...Object.entries(layout.fields).map(([field, f]) => `${name}.${field} ${f.offset} ${f.size}`),
  ]);
  t.deepEqual(declared, compiler);
});

test('every declared architecture has every struct, with fields inside the struct', (t) => {
  for (const [arch, layouts] of Object.entries(ARCH_LAYOUTS)) {
    t.deepEqual(Object.keys(layouts).sort(), Object.keys(C_NAMES).sort(), arch);
    for (const [name, layout] of structs(layouts)) {
      for (const [field, f] of Object.entries(layout.fields)) t.true(f.offset + f.size <= layout.size, `${arch} ${name}.${field}`);
    }
  }
});

test('an architecture without layouts is a clear error', (t) => {
  const error = t.throws(() => layoutsFor('mips'));
  t.is((error as { code?: string }).code, 'ERR_ITIMER_UNSUPPORTED_ARCH');
  t.regex(error.message, /no C struct layouts for architecture 'mips' \(supported: x64, arm64\)/);
});
