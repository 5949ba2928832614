/**
 * The atfork registry: pthread_atfork(3) ordering, registration during a transition,
 * throwing handlers, validation. Every transition runs in a child process (exec replaces
 * the process).
 */
import test from 'ava';
import { runItimerScript } from '../helpers.js';
import { registerAtFork } from '../../src/index.js';
import { runAtFork } from '../../src/posix/atfork.js';

const child = (code: string, env: Record<string, string> = {}) => runItimerScript(code, env);

test('before runs in reverse registration order, the others in order (pthread_atfork)', (t) => {
  const order: string[] = [];
  const undo = ['A', 'B', 'C'].map((name) =>
    registerAtFork({ before: () => order.push(`before ${name}`), afterInParent: () => order.push(`parent ${name}`), afterInChild: () => order.push(`child ${name}`) }),
  );
  runAtFork('before');
  runAtFork('afterInParent');
  runAtFork('afterInChild');
  undo.forEach((u) => u());
  t.deepEqual(order, ['before C', 'before B', 'before A', 'parent A', 'parent B', 'parent C', 'child A', 'child B', 'child C']);
  runAtFork('before');
  t.is(order.length, 9, 'unregistered');
});

test('a handler registered during a transition is not run for it; a throwing one does not stop the others', (t) => {
  const order: string[] = [];
  let late: (() => void) | undefined;
  const undo = [
    registerAtFork({ before: () => order.push('first') }),
    registerAtFork({
      before: () => {
        late ??= registerAtFork({ before: () => order.push('late') });
        throw new Error('handler failed');
      },
    }),
  ];
  // The report on stderr is part of the behaviour: capture it rather than print a stack trace.
  const reported: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => reported.push(chunk) > 0) as typeof process.stderr.write;
  let errors: unknown[];
  try {
    errors = runAtFork('before');
    t.deepEqual(order, ['first']);
    runAtFork('before');
    t.deepEqual(order, ['first', 'late', 'first'], 'the late handler runs from the next transition on');
  } finally {
    process.stderr.write = write;
    [...undo, late!].forEach((u) => u());
  }
  t.is((errors[0] as Error).message, 'handler failed');
  t.is(reported.length, 2, 'reported at each transition');
  t.regex(reported[0]!, /^itimer: an atfork before handler threw: Error: handler failed\n/);
});

test('handlers may be methods of a class instance: they run, with the object as this', (t) => {
  class Flusher {
    readonly calls: string[] = [];
    before() {
      this.calls.push('before');
    }
    afterInParent() {
      this.calls.push('afterInParent');
    }
  }
  const flusher = new Flusher();
  const undo = registerAtFork(flusher);
  runAtFork('before');
  runAtFork('afterInParent');
  runAtFork('afterInChild');
  undo();
  t.deepEqual(flusher.calls, ['before', 'afterInParent']);
});

test('at least one handler, and only functions', (t) => {
  t.throws(() => registerAtFork({}), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => registerAtFork(null as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => registerAtFork({ before: 'x' as never }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('exec: before handlers run, and a throwing one is reported on stderr before the new program starts', async (t) => {
  const r = await child(`
    itimer.registerAtFork({ before: () => console.log('before 1') });
    itimer.registerAtFork({ before: () => { throw new Error('broken handler'); } });
    itimer.registerAtFork({ before: () => console.log('before 3'), afterInParent: () => console.log('never') });
    itimer.execvp('sh', ['sh', '-c', 'echo new program']);`);
  t.is(r.stdout, 'before 3\nbefore 1\nnew program', r.stderr);
  t.regex(r.stderr, /itimer: an atfork before handler threw: Error: broken handler/);
  t.is(r.status, 0);
});

test('exec failure: the errno error, afterInParent handlers, and the chain restarted with its timers', async (t) => {
  const r = await child(`
    itimer.registerAtFork({ before: () => console.log('before'), afterInParent: () => console.log('afterInParent on', itimer.activeAlarm()) });
    itimer.setTimer(() => console.log('timer fired on', itimer.activeAlarm()), 100);
    try { itimer.execvp('itimer-no-such-program', ['x']); } catch (e) { console.log(e.code, e.syscall); }
    try { itimer.execve('/etc/passwd', ['passwd'], {}); } catch (e) { console.log(e.code, e.syscall); }`, { ITIMER_CLOCK: 'dynticks' });
  t.is(r.stdout, 'before\nafterInParent on dynticks\nENOENT execvp\nbefore\nafterInParent on dynticks\nEACCES execve\ntimer fired on dynticks', r.stderr);
});
