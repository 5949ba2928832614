/**
 * The `require` the FFI drivers load their packages with.
 *
 * Normally it resolves from this module's own location. In a bundle (a single CommonJS
 * file, as a V8 startup snapshot needs) `import.meta.url` does not exist; then packages
 * resolve from the current directory, where the application's `node_modules` is.
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A `require` for the FFI packages (see the module notes for where it resolves from). */
export function packageRequire(): NodeJS.Require {
  const here = (import.meta as { url?: string }).url;
  return createRequire(here ?? pathToFileURL(join(process.cwd(), 'noop.js')).href);
}
