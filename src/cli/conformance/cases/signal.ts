/**
 * sigaction(2), sigprocmask(2) and pause(2) cases.
 * @module
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout } from 'node:timers';
import { alarm, pause } from '../../../chain/itimer-real.js';
import { sigaction, sigprocmask, timerCreate } from '../../../posix/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, childResult, outcomeOf, print, ltp, man, source } from '../framework.js';

/** The signals LTP pause01 interrupts pause() with, less the synchronous-fault ones Node reserves. */
const PAUSE_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGUSR1'] as const;

/** Resolves once /proc says the process is sleeping (state S), as LTP's TST_PROCESS_STATE_WAIT. */
async function sleeping(pid: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('S')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`process ${pid} never went to sleep`);
}

export const signalCases: ConformanceCase[] = [
  {
    id: 'sigaction/einval',
    title: 'SIGKILL and SIGSTOP cannot be caught or ignored, signal 0 and 9999 are invalid: EINVAL; querying SIGKILL works',
    references: [man('sigaction(2)', 'ERRORS'), ltp('sigaction02')],
    run() {
      const results = [
        outcomeOf(() => sigaction('SIGKILL', () => {})),
        outcomeOf(() => sigaction('SIGSTOP', () => {})),
        outcomeOf(() => sigaction('SIGKILL', 'SIG_IGN')),
        outcomeOf(() => sigaction('SIGSTOP', 'SIG_DFL')),
        outcomeOf(() => sigaction(9999, 'SIG_DFL')),
        outcomeOf(() => sigaction(0)),
      ];
      return {
        expected: 'EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL; SIGKILL default',
        got: `${results.join(' ')}; SIGKILL ${sigaction('SIGKILL').disposition}`,
      };
    },
  },
  {
    id: 'sigaction/node-dispositions',
    title: "a new Node process has SIGALRM and SIGUSR2 at default, SIGUSR1 handled (Node's inspector), SIGPIPE and SIGXFSZ ignored (Node sets SIG_IGN)",
    references: [man('sigaction(2)', 'query with act NULL'), man('signal(7)')],
    child() {
      print((['SIGALRM', 'SIGUSR2', 'SIGUSR1', 'SIGPIPE', 'SIGXFSZ'] as const).map((s) => `${s} ${sigaction(s).disposition}`).join(', '));
    },
    run: expectChild('SIGALRM default, SIGUSR2 default, SIGUSR1 handled, SIGPIPE ignore, SIGXFSZ ignore | exit 0'),
  },
  {
    id: 'sigaction/handler',
    title: 'installing a handler returns the previous (default) action; the signal then runs it (via libuv, SA_RESTART) instead of ending the process',
    references: [man('sigaction(2)', 'oldact'), man('signal(7)')],
    child() {
      const previous = sigaction('SIGUSR2', () => {
        print('handler ran');
        process.exit(0);
      });
      const now = sigaction('SIGUSR2');
      print('previous', previous.disposition, 'now', now.disposition, now.flagNames.includes('SA_RESTART') ? 'SA_RESTART' : 'no SA_RESTART');
      process.kill(process.pid, 'SIGUSR2');
      setTimeout(() => print('timeout'), 5000);
    },
    run: expectChild('previous default now handled SA_RESTART; handler ran | exit 0'),
  },
  {
    id: 'sigaction/ignore',
    title: 'SIG_IGN: the signal is discarded and the process lives; the previous action is reported',
    references: [man('sigaction(2)'), man('signal(7)')],
    async child() {
      sigaction('SIGUSR2', 'SIG_IGN');
      process.kill(process.pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 100));
      print('alive; previous', sigaction('SIGUSR2', 'SIG_DFL').disposition);
    },
    run: expectChild('alive; previous ignore | exit 0'),
  },
  {
    id: 'sigaction/default-restored',
    title: 'SIG_DFL after a handler restores the default action: the signal ends the process',
    references: [man('sigaction(2)'), man('signal(7)', 'SIGUSR2: Term')],
    child() {
      sigaction('SIGUSR2', () => print('handler ran'));
      print('previous', sigaction('SIGUSR2', 'SIG_DFL').disposition);
      process.kill(process.pid, 'SIGUSR2');
      setTimeout(() => print('survived'), 2000);
    },
    run: expectChild('previous handled | killed by SIGUSR2'),
  },
  {
    id: 'sigaction/foreign-listeners',
    title: 'SIG_DFL/SIG_IGN are refused while process.on listeners that sigaction did not add exist',
    references: [source('itimer', 'docs/guide.md', 'Signals in Node: SIG_DFL/SIG_IGN refused under other listeners')],
    run() {
      const listener = () => {};
      process.on('SIGUSR2', listener);
      try {
        return { expected: 'Error ERR_ITIMER_SIGNAL_LISTENERS', got: outcomeOf(() => sigaction('SIGUSR2', 'SIG_IGN')) };
      } finally {
        process.removeListener('SIGUSR2', listener);
      }
    },
  },
  {
    id: 'sigprocmask/block-and-pending',
    title: 'a signal sent to the main thread while it blocks it stays pending, and is delivered when unblocked; the old mask is returned',
    references: [man('sigprocmask(2)'), man('signal(7)', '\'Signal mask and pending signals\'')],
    async child() {
      let delivered = 0;
      sigaction('SIGUSR2', () => delivered++);
      const before = sigprocmask('block', ['SIGUSR2']);
      using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR2' });
      timer.settime({ value: 0.01 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const whileBlocked = delivered;
      const mask = sigprocmask('unblock', ['SIGUSR2']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      print(`old mask ${JSON.stringify(before)}; mask had SIGUSR2 ${mask.includes(constants.signals.SIGUSR2)}; while blocked ${whileBlocked}; after ${delivered}`);
    },
    run: expectChild('old mask []; mask had SIGUSR2 true; while blocked 0; after 1 | exit 0'),
  },
  {
    id: 'pause/interrupted-by-caught-signal',
    title: 'pause() returns (-1, EINTR) when a caught signal arrives, for SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1',
    references: [man('pause(2)', 'RETURN VALUE'), ltp('pause01'), ltp('pause02')],
    child() {
      for (const signal of PAUSE_SIGNALS) {
        sigaction(signal, () => {});
        print('ready', signal);
        pause();
        print('resumed', signal);
      }
    },
    async run({ runChild }) {
      const outcome = await runChild({
        async onLine(line, pid) {
          const [word, signal] = line.split(' ');
          if (word !== 'ready') return;
          await sleeping(pid);
          process.kill(pid, signal as NodeJS.Signals);
        },
      });
      return {
        expected: `${PAUSE_SIGNALS.map((s) => `ready ${s}; resumed ${s}`).join('; ')} | exit 0`,
        got: childResult(outcome),
      };
    },
  },
  {
    id: 'pause/uncaught-signal-terminates',
    itimerReal: true,
    title: 'pause() never returns when the signal ends the process: SIGKILL, and SIGALRM from alarm() with no handler',
    references: [man('pause(2)'), ltp('pause03')],
    child(args) {
      print('ready');
      if (args[0] === 'alarm') alarm(1);
      pause();
      print('returned');
    },
    async run({ runChild }) {
      const killed = await runChild({
        async onLine(line, pid) {
          if (line !== 'ready') return;
          await sleeping(pid);
          process.kill(pid, 'SIGKILL');
        },
      });
      const alarmed = await runChild({ args: ['alarm'] });
      return { expected: 'ready | killed by SIGKILL; ready | killed by SIGALRM', got: `${childResult(killed)}; ${childResult(alarmed)}` };
    },
  },
];
