/**
 * What a user's implementation declares about itself: name, framework, ops, float64 and
 * capabilities. The same check serves a `.mjs` adapter object and a program's hello line
 * (docs/protocol.md), with errors that say which field is wrong.
 */
import type { BackendInfo } from '../../oracles/types.js';
import type { Capabilities } from '../../properties/capabilities.js';
import { FRAMEWORKS, SIGNATURES, type Framework } from '../conventions/index.js';

export class DeclarationError extends Error {}

const FEATURES = ['groups', 'dilation', 'dilatedTranspose', 'strideWithDilation', 'batchGroups', 'lhsDilation', 'outputPadding', 'explicitPadding', 'samePadding', 'bias', 'negativePadding'];
const DTYPES = ['float32', 'float64', 'float16', 'bfloat16'];
const LIMITS = ['maxSpatial', 'maxChannels', 'maxKernel', 'maxElements'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, allowed: readonly string[] | undefined, field: string, where: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new DeclarationError(`${where}: ${field} must be a list of strings`);
  const bad = allowed ? v.find((x) => !allowed.includes(x as string)) : undefined;
  if (bad !== undefined) throw new DeclarationError(`${where}: ${field} has ${JSON.stringify(bad)} (known: ${allowed!.join(', ')})`);
  return v as string[];
}

/** Checks a `Capabilities` object (properties/capabilities.ts) field by field. */
export function checkCapabilities(v: unknown, where: string): Capabilities {
  if (!isObject(v)) throw new DeclarationError(`${where}: capabilities must be an object`);
  for (const [k, x] of Object.entries(v)) {
    const field = `capabilities.${k}`;
    if (k === 'ranks') {
      if (!Array.isArray(x) || !x.every((r) => Number.isInteger(r) && r >= 1 && r <= 3)) throw new DeclarationError(`${where}: ${field} must list spatial ranks 1 to 3`);
    } else if (k === 'batchedOnly') {
      if (typeof x !== 'boolean') throw new DeclarationError(`${where}: ${field} must be true or false`);
    } else if (k === 'layouts') stringList(x, undefined, field, where);
    else if (k === 'dtypes') stringList(x, DTYPES, field, where);
    else if (k === 'lacks') stringList(x, FEATURES, field, where);
    else if (LIMITS.includes(k)) {
      if (!Number.isInteger(x) || (x as number) < 1) throw new DeclarationError(`${where}: ${field} must be a positive integer`);
    } else throw new DeclarationError(`${where}: unknown field ${field} (known: ranks, batchedOnly, layouts, dtypes, lacks, ${LIMITS.join(', ')})`);
  }
  return v as Capabilities;
}

/**
 * Checks name, framework, ops, float64 and capabilities. float64 is true when declared so, or
 * when capabilities.dtypes lists float64.
 */
export function checkDeclaration(o: Record<string, unknown>, where: string): BackendInfo {
  if (typeof o['name'] !== 'string' || o['name'] === '') throw new DeclarationError(`${where}: name must be a non-empty string`);
  if (typeof o['framework'] !== 'string' || !FRAMEWORKS.includes(o['framework'] as Framework)) {
    throw new DeclarationError(`${where}: framework must be one of ${FRAMEWORKS.join(', ')}, got ${JSON.stringify(o['framework'])}`);
  }
  const fw = o['framework'] as Framework;
  if (!Array.isArray(o['ops']) || o['ops'].length === 0) throw new DeclarationError(`${where}: ops must be a non-empty list of ${fw} op names`);
  for (const op of o['ops']) {
    if (typeof op !== 'string' || !Object.hasOwn(SIGNATURES[fw], op)) {
      throw new DeclarationError(`${where}: ${JSON.stringify(op)} is not a ${fw} op (known: ${Object.keys(SIGNATURES[fw]).join(', ')})`);
    }
  }
  if (o['float64'] !== undefined && typeof o['float64'] !== 'boolean') throw new DeclarationError(`${where}: float64 must be true or false`);
  const capabilities = o['capabilities'] === undefined ? undefined : checkCapabilities(o['capabilities'], where);
  const float64 = o['float64'] === true || (capabilities?.dtypes?.includes('float64') ?? false);
  return { name: o['name'], framework: fw, ops: o['ops'] as string[], float64, ...(capabilities ? { capabilities } : {}) };
}
