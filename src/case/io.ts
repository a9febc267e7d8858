/**
 * Reading cases from .json / .jsonl files or stdin, and writing files atomically.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CaseError } from '../core/errors.js';
import { parseCase, type Case, type Outcome } from './case.js';
import type { Parsed } from './lines.js';

/** One entry of a case file: a parsed case, or the error that makes it malformed. */
export type Entry = { where: string; case: Case } | { where: string; error: CaseError };

/**
 * Splits a source into cases. A `.json` file holds one case; a `.jsonl` file one per line (blank
 * lines skipped). For stdin (`-`) or other names: one JSON value if the whole text parses,
 * otherwise one case per line. A top-level JSON array is read as a list of cases.
 */
export function readCases(path: string): Entry[] {
  const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  const name = path === '-' ? 'stdin' : basename(path);
  return parseCaseText(text, name, path.endsWith('.jsonl') ? 'lines' : path.endsWith('.json') ? 'whole' : 'auto');
}

export function parseCaseText(text: string, name: string, mode: 'lines' | 'whole' | 'auto'): Entry[] {
  if (mode !== 'lines') {
    try {
      return valueEntries(JSON.parse(text), name);
    } catch (e) {
      if (mode === 'whole') return [{ where: name, error: new CaseError(name, '(json)', `is not valid JSON: ${(e as Error).message}`) }];
    }
  }
  const out: Entry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(lineEntry(line, name, i + 1));
  });
  return out;
}

/** The cases of a whole source's JSON value: a case, or a list of them (`name[i]`). */
export function valueEntries(v: unknown, name: string): Entry[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((c, i) => entry(c, list.length > 1 ? `${name}[${i}]` : name));
}

/** One line of a JSONL source, `name:lineNo` naming it in errors and when it has no id. */
export function lineEntry(line: string, name: string, lineNo: number): Entry {
  let p: Parsed;
  try {
    p = { value: JSON.parse(line) as unknown };
  } catch (e) {
    p = { error: e as Error };
  }
  return parsedLineEntry(p, name, lineNo);
}

/** lineEntry for a line already parsed (src/case/lines.ts). */
export function parsedLineEntry(p: Parsed, name: string, lineNo: number): Entry {
  const where = `${name}:${lineNo}`;
  if ('error' in p) return { where, error: new CaseError(where, '(json)', `is not valid JSON: ${p.error.message}`) };
  return entry(p.value, where);
}

function entry(v: unknown, where: string): Entry {
  try {
    return { where, case: parseCase(v, where) };
  } catch (e) {
    if (e instanceof CaseError) return { where, error: e };
    throw e;
  }
}

/** JSON has no NaN or ±Infinity: they travel as strings, as in case data. */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** A tensor as the case format writes it: plain lists, non-finite numbers as strings. */
export function tensorJson(t: { readonly shape: readonly number[]; readonly data: ArrayLike<number> }): { shape: number[]; data: Array<number | string> } {
  return { shape: [...t.shape], data: Array.from(t.data, jsonNumber) };
}

export function outcomeJson(id: string, o: Outcome): Record<string, unknown> {
  return 'error' in o ? { id, error: o.error } : { id, ...tensorJson(o) };
}

/** Bytes per piece of numbers that writeOutcomeJson hands to `write`. */
const PIECE_BYTES = 1 << 16;
/** Longest text of one value: String(x) of a double is at most 24 characters, a quoted "-Infinity" 11; and a comma. */
const VALUE_BYTES = 26;
/** Values turned into text at once. */
const RUN = 256;

/**
 * `a` as JSON text without the brackets, non-finite values as strings. JSON.stringify of a small
 * array makes one string where String(x) per value makes one each (garbage the heap grows for).
 */
function numbersText(a: Float64Array): string {
  for (let j = 0; j < a.length; j++) {
    if (!Number.isFinite(a[j]!)) return Array.from(a, (x) => JSON.stringify(jsonNumber(x))).join(',');
  }
  // JSON.stringify(x) is String(x) for finite numbers (-0 → 0).
  return JSON.stringify(Array.from(a)).slice(1, -1);
}

/**
 * Writes JSON.stringify(outcomeJson(id, o)) — the same text — to `write` in pieces (outcomePieces),
 * never building the whole string or a JS array of the data. No newline at the end.
 */
export function writeOutcomeJson(id: string, o: Outcome, write: (piece: string | Uint8Array) => void): void {
  for (const piece of outcomePieces(id, o)) write(piece);
}

/**
 * The text of JSON.stringify(outcomeJson(id, o)) in pieces: the numbers as Buffers of 64 KiB,
 * filled value by value (joined strings of numbers cost about 6 bytes per value of garbage that
 * the old generation frees late: on a 10⁷-value result, most of a float64 copy at the peak). Each
 * Buffer is new, since a consumer may keep it (a stream's queue); with `reuse`, for a consumer
 * done with a piece once it has taken it (a synchronous write), one Buffer serves them all.
 */
export function* outcomePieces(id: string, o: Outcome, reuse = false): Generator<string | Uint8Array> {
  if ('error' in o) {
    yield JSON.stringify({ id, error: o.error });
    return;
  }
  yield `{"id":${JSON.stringify(id)},"shape":${JSON.stringify(o.shape)},"data":[`;
  let buf = Buffer.allocUnsafe(PIECE_BYTES);
  let at = 0;
  for (let i = 0; i < o.data.length; i += RUN) {
    if (at > PIECE_BYTES - RUN * VALUE_BYTES) {
      yield buf.subarray(0, at);
      if (!reuse) buf = Buffer.allocUnsafe(PIECE_BYTES);
      at = 0;
    }
    if (i > 0) buf[at++] = 0x2c;
    at += buf.write(numbersText(o.data.subarray(i, i + RUN)), at, 'latin1');
  }
  if (at > 0) yield buf.subarray(0, at);
  yield ']}';
}

/** A file convcheck cannot write (a directory, a missing parent it cannot create, no permission). */
export class WriteError extends Error {
  override readonly name = 'WriteError';
}

/**
 * Writes a file so that a crash leaves either the old file or the new one, never half of one:
 * write a temporary file beside it, fsync, rename over. A symlink is written through (its target
 * is replaced, the link stays); a directory is refused before anything is written; a failure
 * removes the temporary file.
 */
export function writeFileAtomic(path: string, content: string): void {
  const target = resolveTarget(path);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (e) {
    throw new WriteError(`cannot write ${path}: cannot create its directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new WriteError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The file a write to `path` should replace: the final target of a symlink chain, or `path`. */
function resolveTarget(path: string): string {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // Missing file, or a dangling symlink: write where the link points, else create the path.
    try {
      if (lstatSync(path).isSymbolicLink()) target = resolve(dirname(path), readlinkSync(path));
    } catch {
      target = path;
    }
  }
  let st;
  try {
    st = statSync(target);
  } catch {
    return target;
  }
  if (st.isDirectory()) throw new WriteError(`cannot write ${path}: it is a directory (give a file name)`);
  return target;
}
