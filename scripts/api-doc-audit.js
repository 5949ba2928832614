// Checks that every public function, method and constructor in the API documents what a
// caller needs: each parameter, the return value (@returns, unless it returns void or never)
// and the errors (@throws, on every signature that takes arguments: each of them is
// validated). typedoc's notDocumented gate only checks that a comment exists. Members a
// class inherits from Node's own (AsyncResource's bind, runInAsyncScope, …) are Node's to
// document and are skipped.
//
//   npm run docs:audit          (prints what is missing; exit 1 if anything is)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SIGNATURE_CONSTRUCTOR = 16384;
const KIND_PROJECT = 1;
const KIND_MODULE = 2;

/**
 * The typedoc JSON model of the public API (the same entry points as the API site).
 * @returns {any}
 */
function apiModel() {
  const dir = mkdtempSync(join(tmpdir(), 'itimer-api-'));
  try {
    const file = join(dir, 'api.json');
    execFileSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--json', file, '--logLevel', 'Error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What each signature of the API lacks, as `module.Name.member: what` lines.
 * @param {any} model
 * @returns {string[]}
 */
export function auditApi(model) {
  /** @type {string[]} */
  const missing = [];
  /**
   * @param {any} node
   * @param {string} prefix
   */
  const walk = (node, prefix) => {
    const name = node.kind === KIND_PROJECT ? '' : prefix ? `${prefix}.${node.name}` : node.name;
    const inheritedFromNode = node.flags?.isExternal && node.flags?.isInherited;
    for (const signature of inheritedFromNode ? [] : (node.signatures ?? [])) {
      const tags = (signature.comment?.blockTags ?? []).map((/** @type {{ tag: string }} */ t) => t.tag);
      const lacks = [];
      for (const parameter of signature.parameters ?? []) if (!parameter.comment?.summary?.length) lacks.push(`parameter ${parameter.name}`);
      const returnsNothing = signature.type?.type === 'intrinsic' && ['void', 'never'].includes(signature.type.name);
      if (signature.kind !== SIGNATURE_CONSTRUCTOR && !returnsNothing && !tags.includes('@returns')) lacks.push('@returns');
      if ((signature.parameters?.length ?? 0) > 0 && !tags.includes('@throws')) lacks.push('@throws');
      if (lacks.length > 0) missing.push(`${name}: ${lacks.join(', ')}`);
    }
    for (const child of node.children ?? []) walk(child, node.kind === KIND_MODULE && node.name === 'index' ? '' : name);
  };
  walk(model, '');
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = auditApi(apiModel());
  for (const line of missing) console.log(line);
  console.log(missing.length === 0 ? 'every public signature documents its parameters, return value and errors' : `${missing.length} signatures lack documentation`);
  process.exitCode = missing.length === 0 ? 0 : 1;
}
