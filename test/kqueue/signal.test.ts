/**
 * EVFILT_SIGNAL counts deliveries (through process.on), including SIGALRM from alarm(),
 * and loses none in a storm. Each case in a child process.
 */
import test from 'ava';
import { runItimerScript } from '../helpers.js';

test('deliveries of a signal are counted and coalesced into data; SIGALRM from alarm() too', async (t) => {
  const r = await runItimerScript(`
    const kq = new itimer.Kqueue();
    await kq.kevent([{ ident: 12, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }, { ident: 14, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }]);
    for (let i = 0; i < 3; i++) { process.kill(process.pid, 'SIGUSR2'); await new Promise((r) => setTimeout(r, 20)); }
    const [usr2] = await kq.kevent([], 4, { sec: 1, nsec: 0 });
    console.log('SIGUSR2', usr2.ident, usr2.data, usr2.flags === itimer.EV_CLEAR);
    itimer.ualarm(50000);
    const [alrm] = await kq.kevent([], 4, { sec: 2, nsec: 0 });
    console.log('SIGALRM', alrm.ident, alrm.data);
    const bad = await kq.kevent([{ ident: 9, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }, { ident: 77, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }], 2);
    console.log('SIGKILL and 77:', bad.map((e) => e.data).join(' '));
    kq.close();`);
  t.is(r.stdout, 'SIGUSR2 12 3 true\nSIGALRM 14 1\nSIGKILL and 77: 22 22', r.stderr);
});

test('a signal storm (thousands of SIGALRM per second for 2 s) loses no counts', async (t) => {
  const r = await runItimerScript(`
    let delivered = 0;
    process.on('SIGALRM', () => delivered++);
    const kq = new itimer.Kqueue();
    await kq.kevent([{ ident: 14, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }]);
    let counted = 0;
    let stormOver = false;
    const reader = (async () => {
      while (!stormOver) for (const e of await kq.kevent([], 1, { sec: 0, nsec: 20_000_000 })) counted += e.data;
    })();
    itimer.setitimer('real', { value: { usec: 200 }, interval: { usec: 200 } });
    await new Promise((r) => setTimeout(r, 2000));
    itimer.setitimer('real', {});
    await new Promise((r) => setTimeout(r, 50));
    stormOver = true;
    await reader;
    for (const e of await kq.kevent([], 1, { sec: 0, nsec: 0 })) counted += e.data;
    console.log(JSON.stringify({ delivered, counted }));
    kq.close();`);
  const { delivered, counted } = JSON.parse(r.stdout || '{}') as { delivered: number; counted: number };
  t.true(delivered > 2000, `${delivered} SIGALRM delivered in 2 s (about 10 000 sent)`);
  t.is(counted, delivered, 'every delivery counted by EVFILT_SIGNAL');
});
