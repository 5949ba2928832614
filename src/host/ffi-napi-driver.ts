/**
 * The second FFI driver: the node-ffi API through the maintained fork
 * `@2060.io/ffi-napi` + `@2060.io/ref-napi` (the original `ffi-napi@4.0.3` no longer builds
 * on Node 20). Optional at install time and ~100x slower per call than koffi, so never
 * the default; selected with `ITIMER_FFI=ffi-napi` or `selectFfiDriver('ffi-napi')`.
 * @module
 */
import { itimerError } from './errors.js';
import { packageRequire } from './require.js';
import type { CType, FfiDriver, HostCalls } from './prototypes.js';
import { lazyCalls } from './prototypes.js';

/** The parts of `@2060.io/ref-napi` this driver uses. */
interface RefNapi {
  readonly NULL: Buffer;
  readonly types: { readonly void: unknown };
  allocCString(text: string): Buffer;
  refType(type: unknown): unknown;
  writePointer(target: Buffer, offset: number, pointer: Buffer): void;
}

type NativeFunction = (...args: unknown[]) => number;

/** The parts of `@2060.io/ffi-napi` this driver uses. */
interface FfiNapi {
  DynamicLibrary: new (path: string, mode?: number) => { get(name: string): Buffer };
  ForeignFunction: new (pointer: Buffer, ret: unknown, args: unknown[]) => NativeFunction;
  VariadicForeignFunction: (pointer: Buffer, ret: unknown, fixed: unknown[]) => (...variadic: unknown[]) => NativeFunction;
  errno(): number;
}

const FFI_TYPES: Record<CType, string> = {
  int: 'int',
  uint: 'uint',
  long: 'long',
  ulong: 'ulong',
  pointer: 'pointer',
  string: 'string',
  stringArray: 'pointer',
};

/** Builds a NULL-terminated `char *[]`; the returned buffer keeps the strings alive. */
function cStringArray(ref: RefNapi, strings: readonly string[]): Buffer {
  const array = Buffer.alloc((strings.length + 1) * 8);
  const keep = strings.map((s) => ref.allocCString(s));
  keep.forEach((s, i) => ref.writePointer(array, i * 8, s));
  return Object.assign(array, { keep });
}

/**
 * Loads the ffi-napi packages with `require`.
 * @throws Error with code `ERR_ITIMER_FFI_DRIVER` saying how to install them when they are missing.
 */
export function ffiNapiDriver(require: NodeJS.Require = packageRequire()): FfiDriver {
  let ffi: FfiNapi;
  let ref: RefNapi;
  try {
    ffi = require('@2060.io/ffi-napi') as FfiNapi;
    ref = require('@2060.io/ref-napi') as RefNapi;
  } catch (cause) {
    throw itimerError(
      'ERR_ITIMER_FFI_DRIVER',
      "The 'ffi-napi' FFI driver could not be loaded. It is an optional dependency: install it with " +
        "'npm install @2060.io/ffi-napi @2060.io/ref-napi' (it builds with node-gyp where no prebuilt binary fits), " +
        "or unset ITIMER_FFI to use the default driver, koffi.",
      { cause },
    );
  }
  return {
    name: 'ffi-napi',
    bind(libraryPath: string): HostCalls {
      const library = new ffi.DynamicLibrary(libraryPath);
      return lazyCalls(
        () => ffi.errno(),
        (name, proto) => {
          const pointer = library.get(name);
          const args = proto.args.map((t) => FFI_TYPES[t]);
          const fn =
            proto.variadic !== undefined
              ? ffi.VariadicForeignFunction(pointer, FFI_TYPES[proto.ret], args)(...proto.variadic.map((t) => FFI_TYPES[t]))
              : new ffi.ForeignFunction(pointer, FFI_TYPES[proto.ret], args);
          const arrays = proto.args.map((t) => t === 'stringArray');
          return arrays.includes(true)
            ? (...values: unknown[]) => fn(...values.map((v, i) => (arrays[i] ? cStringArray(ref, v as string[]) : v)))
            : fn;
        },
      );
    },
  };
}
