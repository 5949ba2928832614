// Hooks around exec, and what the new program inherits: the before-handlers run (last
// registered first), stdio and signals are made fit for the new program, and the kernel
// keeps the alarm across execve — so the shell below is ended by SIGALRM after 2 s.
//
//   node examples/atfork-exec.js
import { alarm, execvp, registerAtFork, setTimer } from 'itimer';

registerAtFork({ before: () => console.log('before: flush logs') });
registerAtFork({
  before: () => console.log('before: close connections'),
  afterInParent: () => console.log('afterInParent: exec failed, reopen connections'),
});

setTimer(() => {}, 1000); // the chain stops its backend before exec, and restarts if exec fails

try {
  execvp('itimer-example-no-such-program', ['itimer-example-no-such-program']);
} catch (error) {
  console.log(`exec failed as expected: ${/** @type {Error} */ (error).message}`);
}

alarm(2);
execvp('sh', ['sh', '-c', 'echo "sh: running with the alarm still pending"; sleep 10; echo never']);
