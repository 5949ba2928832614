/**
 * The module resolution hooks of `itimer/register`: an import of `node:timers` or `timers`
 * (and of their `/promises`) by the program resolves to itimer's facade of that module
 * (node/timers-facade, node/promises-facade), whose timer functions are the chain's and whose
 * other names are Node's own. Node's internals never pass through these hooks, and neither
 * does itimer itself (an importer inside the package resolves to Node's module): the
 * library takes Node's timers from `node:timers`.
 *
 * Given to `module.registerHooks` where the running Node has it (synchronous, for `import`
 * and `require`: Node ≥ 22.15 / 23.5), else to `module.register` (`import` only, on Node's
 * hooks thread). Standalone: it imports nothing, and gets its facades' URLs and the package's
 * own URL from `initialize` (or `configure`).
 * @module
 */

/** What the hooks are given: the facades' URLs and the package root they must not redirect for. */
export interface RegisterHooksData {
  /** The URL of itimer's `node:timers` facade. */
  readonly timersUrl: string;
  /** The URL of itimer's `node:timers/promises` facade. */
  readonly promisesUrl: string;
  /** The package's root URL (with a trailing slash): importers under it keep Node's modules. */
  readonly packageUrl: string;
}

/** A resolve result, as Node's hooks return it. */
interface Resolved {
  url: string;
  shortCircuit?: boolean;
  format?: string | null;
}

let data: RegisterHooksData | undefined;

/**
 * Sets the URLs (`module.register`'s `initialize` hook).
 * @param given the facades' and the package's URLs.
 */
export function initialize(given: RegisterHooksData): void {
  data = given;
}

/** The same, for the synchronous hooks of `module.registerHooks` (set before they are registered). */
export const configure = initialize;

/** The facade a specifier resolves to, or undefined for every other specifier. */
function facadeOf(specifier: string): string | undefined {
  if (!data) return undefined;
  switch (specifier) {
    case 'node:timers':
    case 'timers':
      return data.timersUrl;
    case 'node:timers/promises':
    case 'timers/promises':
      return data.promisesUrl;
    default:
      return undefined;
  }
}

/** The facade's resolution for Node's timer modules loaded by the program (not by itimer itself), else undefined. */
function redirect(specifier: string, context: { parentURL?: string }): Resolved | undefined {
  const facade = facadeOf(specifier);
  return facade && !context.parentURL?.startsWith(data!.packageUrl) ? { url: facade, format: 'module', shortCircuit: true } : undefined;
}

/**
 * The resolve hook (asynchronous form, `module.register`).
 * @param specifier what is imported.
 * @param context Node's resolve context (`parentURL`: the importer).
 * @param nextResolve the next hook.
 * @returns the facade's URL for Node's timer modules imported by the program; else what the next hook resolves.
 */
export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: (specifier: string, context: unknown) => Promise<Resolved>): Promise<Resolved> {
  return redirect(specifier, context) ?? nextResolve(specifier, context);
}

/**
 * The resolve hook (synchronous form, `module.registerHooks`): the same as {@link resolve}.
 * @param specifier what is imported or required.
 * @param context Node's resolve context (`parentURL`: the importer).
 * @param nextResolve the next hook.
 * @returns the facade's URL for Node's timer modules imported or required by the program; else what the next hook resolves.
 */
export function resolveSync(specifier: string, context: { parentURL?: string }, nextResolve: (specifier: string, context: unknown) => Resolved): Resolved {
  return redirect(specifier, context) ?? nextResolve(specifier, context);
}
