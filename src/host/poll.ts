/**
 * Watching a file descriptor for readability on Node's event loop (libuv `uv_poll`),
 * through koffi's poll wrapper — the only FFI facility used outside the call table, so it
 * lives here too. koffi is a dependency, so this works whichever call driver is selected.
 * @module
 */
import { loadKoffi } from './require.js';

/** A started poll watcher. It does not keep the event loop alive unless `ref()`'d. */
export interface PollWatcher {
  /** Stops watching and releases the libuv handle. */
  close(): void;
  /** Lets the watcher keep the event loop alive. */
  ref(): void;
  /** Stops the watcher from keeping the event loop alive. */
  unref(): void;
}

/**
 * Calls `onReadable` on the event loop each time `fd` is readable (level-triggered: read it
 * until it would block). The watcher starts unref'd.
 */
export function watchReadable(fd: number, onReadable: () => void): PollWatcher {
  const handle = loadKoffi().node.poll(fd, { readable: true }, () => onReadable());
  handle.unref();
  return handle;
}
