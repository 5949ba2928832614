/**
 * The `require` the FFI drivers load their packages with.
 *
 * Normally it resolves from this module's own location. In a bundle (a single CommonJS
 * file, as a V8 startup snapshot needs) `import.meta.url` does not exist; then packages
 * resolve from the current directory, where the application's `node_modules` is.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { itimerError } from './errors.js';

/** A `require` for the FFI packages (see the module notes for where it resolves from). */
export function packageRequire(): NodeJS.Require {
  const here = (import.meta as { url?: string }).url;
  return createRequire(here ?? pathToFileURL(join(process.cwd(), 'noop.js')).href);
}

let koffi: typeof import('koffi') | undefined;

/** Whether koffi is loaded already (its load is most of the first FFI call's cost). */
export function koffiLoaded(): boolean {
  return koffi !== undefined;
}

/**
 * koffi, loaded once. Its package entry point spends ~5 ms finding out which C library the
 * process uses by parsing the ELF headers of the node binary; the host layer binds glibc's
 * `libc.so.6` in any case, so koffi's glibc prebuilt for this platform is loaded directly
 * when it is installed and of koffi's own version (~1 ms), and the package otherwise.
 */
export function loadKoffi(): typeof import('koffi') {
  if (koffi) return koffi;
  const require = packageRequire();
  try {
    const triplet = `${process.platform}_${process.arch}`;
    const prebuilt = require.resolve(`@koromix/koffi-${process.platform}-${process.arch}/${triplet}/koffi.node`);
    // koffi itself sits beside its prebuilt package in node_modules; its version must match.
    const manifest = join(dirname(prebuilt), '..', '..', '..', 'koffi', 'package.json');
    const expected = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    const native = require(prebuilt) as typeof import('koffi') & { version?: string };
    if (native.version === expected) return (koffi = native);
  } catch {
    // not installed this way (another libc, a bundle, a build from source): use the package
  }
  try {
    return (koffi = require('koffi') as typeof import('koffi'));
  } catch (cause) {
    throw itimerError(
      'ERR_ITIMER_FFI_DRIVER',
      "The 'koffi' FFI driver could not be loaded. It is a dependency of itimer: reinstall with 'npm install'; " +
        "in a bundle, keep koffi external (--external:koffi) and install it where the bundle runs.",
      { cause },
    );
  }
}
