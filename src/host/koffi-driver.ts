/**
 * The default FFI driver: koffi (prebuilt binaries, ~0.1 µs per call).
 * @module
 */
import { loadKoffi } from './require.js';
import type { CType, FfiDriver, HostCalls, Prototype } from './prototypes.js';
import { lazyCalls } from './prototypes.js';

type KoffiModule = typeof import('koffi');

const KOFFI_TYPES: Record<CType, string> = {
  int: 'int',
  uint: 'unsigned int',
  long: 'long',
  ulong: 'unsigned long',
  pointer: 'void *',
  string: 'const char *',
  stringArray: 'const char **',
};

function declare(library: ReturnType<KoffiModule['load']>, name: string, proto: Prototype) {
  const args = proto.args.map((t) => KOFFI_TYPES[t]);
  if (!proto.variadic) return library.func(name, KOFFI_TYPES[proto.ret], args);
  const fn = library.func(name, KOFFI_TYPES[proto.ret], [...args, '...']);
  const fixed = proto.args.length;
  const extraTypes = proto.variadic.map((t) => KOFFI_TYPES[t]);
  // koffi takes each variadic argument as a (type, value) pair.
  return (...values: unknown[]) =>
    fn(...values.slice(0, fixed), ...values.slice(fixed).flatMap((v, i) => [extraTypes[i], v]));
}

/** Binds with koffi (loaded synchronously, on first use of the host layer). */
export function koffiDriver(koffi: KoffiModule = loadKoffi()): FfiDriver {
  return {
    name: 'koffi',
    bind(libraryPath: string): HostCalls {
      const library = koffi.load(libraryPath);
      return lazyCalls(
        () => koffi.errno(),
        (name, proto) => {
          const fn = declare(library, name, proto);
          return (proto.args as readonly CType[]).includes('stringArray')
            ? // koffi converts a JS array to a C array; execv* want it NULL-terminated.
              (...values: unknown[]) => fn(...values.map((v) => (Array.isArray(v) ? [...v, null] : v)))
            : fn;
        },
      );
    },
  };
}
