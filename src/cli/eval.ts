/**
 * `convcheck eval FILE|-`: computes every case on the reference, one JSON line per case, written
 * as soon as it is computed (a crash or a slow case never holds back the answers before it).
 *
 * A case that cannot be answered still never stops the batch:
 * - malformed (CaseError) or too large to compute (LimitError, `--max-elements`): a message on
 *   stderr naming the case, exit 2;
 * - a bug in convcheck: a line `{"id", "error": "internal: …"}` and exit 3.
 * With `--check`, each case that has `expected` is compared with it; a mismatch prints the
 * difference on stderr and makes the exit status 1.
 */
import { createReadStream, fstatSync, readFileSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { evaluate, type Case, type Outcome } from '../case/case.js';
import { EMPTY_LINE, readLines, type Line } from '../case/lines.js';
import { outcomeJson, outcomePieces, parsedLineEntry, parseCaseText, valueEntries, type Entry } from '../case/io.js';
import { readJsonFile } from '../case/stream.js';
import { escapeControls, LimitError } from '../core/errors.js';
import { compareExpected } from './check.js';

export interface EvalSummary {
  readonly evaluated: number;
  readonly malformed: number;
  /** Refused by the memory guard. */
  readonly refused: number;
  /** Cases whose outcome differs from their `expected` (with --check). */
  readonly mismatched: number;
  /** Cases checked against an `expected` (with --check). */
  readonly checked: number;
  readonly internal: number;
}

export interface EvalOptions {
  readonly check?: boolean;
  /** The evaluation (default: the reference); tests inject a failing one. */
  readonly evaluate?: (c: Case) => Outcome;
  /**
   * Where a large answer is written piece by piece (the CLI's stdout, see stdoutSink): its line
   * is never built whole, nor an array of its values (src/case/io.ts outcomePieces). A promise
   * returned is awaited before the next piece (a pipe's backpressure).
   */
  readonly write?: (piece: string | Uint8Array) => void | Promise<void>;
  /** `write` is done with a piece when it returns (a synchronous write): the pieces may share one buffer. */
  readonly writeIsSync?: boolean;
}

/** Answers with more values than this go through EvalOptions.write in pieces. */
const STREAMED = 1 << 16;

type Out = (line: string) => void;

/**
 * How the CLI writes large answers to stdout. A file or a character device (a terminal,
 * /dev/null) takes a write at once: fs.writeSync, one shared buffer. A pipe or socket is
 * non-blocking once process.stdout exists, and its writes queue without limit (a 10⁷-value
 * answer into a slow reader grew the process by ~1 GB of queued text): process.stdout.write,
 * waiting for 'drain' when it asks to.
 */
export function stdoutSink(): Pick<EvalOptions, 'write' | 'writeIsSync'> {
  let st;
  try {
    st = fstatSync(1);
  } catch {
    st = undefined;
  }
  if (st && (st.isFile() || st.isCharacterDevice())) {
    return {
      writeIsSync: true,
      write: (piece) => {
        const b = typeof piece === 'string' ? Buffer.from(piece) : piece;
        for (let at = 0; at < b.length; ) at += writeSync(1, b, at);
      },
    };
  }
  return { write: (piece) => (process.stdout.write(piece) ? undefined : once(process.stdout, 'drain').then(() => undefined)) };
}

/** JSON.stringify leaves DEL, C1 (which terminals may read as CSI) and U+2028/9 raw; escape them. */
export function jsonLine(v: unknown): string {
  return escapeJsonText(JSON.stringify(v));
}

function escapeJsonText(s: string): string {
  return s.replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Exit status for a summary: 3 internal error, 2 malformed or refused input, 1 a --check mismatch. */
export function evalExitCode(s: EvalSummary): number {
  if (s.internal > 0) return 3;
  if (s.malformed > 0 || s.refused > 0) return 2;
  return s.mismatched > 0 ? 1 : 0;
}

/** e.g. "2 malformed, 1 refused (--max-elements), 40 evaluated". */
export function evalSummaryLine(s: EvalSummary): string {
  const parts = [
    s.malformed && `${s.malformed} malformed case(s)`,
    s.refused && `${s.refused} refused (--max-elements)`,
    s.internal && `${s.internal} internal error(s)`,
    s.mismatched && `${s.mismatched} of ${s.checked} with expected differ`,
  ].filter(Boolean);
  return `${parts.join(', ')}, ${s.evaluated} evaluated`;
}

class Evaluator {
  evaluated = 0;
  malformed = 0;
  refused = 0;
  mismatched = 0;
  checked = 0;
  internal = 0;

  constructor(
    private readonly out: Out,
    private readonly err: Out,
    private readonly opts: EvalOptions,
  ) {}

  /** One line of a JSONL source; even a bug while parsing it costs only that line. */
  async line(line: Line, name: string, lineNo: number): Promise<void> {
    let e: Entry;
    try {
      e = parsedLineEntry(line.parse(), name, lineNo);
    } catch (ex) {
      this.internalError(`${name}:${lineNo}`, ex);
      return;
    }
    await this.take(e);
  }

  private internalError(id: string, ex: unknown): void {
    const msg = escapeControls(ex instanceof Error ? ex.message : String(ex), false);
    this.internal++;
    this.out(jsonLine({ id, error: `internal: ${msg}` }));
    this.err(`convcheck eval: internal error on case ${escapeControls(id, false)} (a bug in convcheck, please report it with the case): ${msg}`);
  }

  async take(e: Entry): Promise<void> {
    if ('error' in e) {
      this.malformed++;
      this.err(`convcheck eval: ${e.error.message}`);
      return;
    }
    const c = e.case;
    let o: Outcome;
    try {
      o = (this.opts.evaluate ?? evaluate)(c);
    } catch (ex) {
      if (!(ex instanceof LimitError)) return this.internalError(c.id, ex);
      this.refused++;
      this.err(`convcheck eval: case ${escapeControls(c.id, false)}: refused: ${escapeControls(ex.message, false)}`);
      return;
    }
    const write = this.opts.write;
    if (write && !('error' in o) && o.data.length > STREAMED) {
      for (const piece of outcomePieces(c.id, o, this.opts.writeIsSync === true)) {
        // Only the strings can need escaping (the id); the Buffers are numbers.
        const wait = write(typeof piece === 'string' ? escapeJsonText(piece) : piece);
        if (wait) await wait;
      }
      const wait = write('\n');
      if (wait) await wait;
    } else this.out(jsonLine(outcomeJson(c.id, o)));
    this.evaluated++;
    if (this.opts.check && c.expected) this.check(c, o);
  }

  private check(c: Case, o: Outcome): void {
    this.checked++;
    const diff = compareExpected(c, o);
    if (diff === undefined) return;
    this.mismatched++;
    this.err(`convcheck eval --check: case ${escapeControls(c.id, false)} does not give its expected:\n${escapeControls(diff)}`);
  }

  summary(): EvalSummary {
    const { evaluated, malformed, refused, mismatched, checked, internal } = this;
    return { evaluated, malformed, refused, mismatched, checked, internal };
  }
}

/**
 * Evaluates a source: a `.json` file holds one case (or a list); a `.jsonl` file one per line;
 * stdin (`-`) and other names are read line by line, unless the first non-blank line is not JSON
 * on its own (a pretty-printed case), in which case the whole text is one JSON value.
 */
export async function evalSource(path: string, out: Out, err: Out, opts: EvalOptions = {}): Promise<EvalSummary> {
  const ev = new Evaluator(out, err, opts);
  const name = path === '-' ? 'stdin' : path.split('/').pop()!;
  if (path.endsWith('.json')) {
    // Streamed (src/case/stream.ts); a source it cannot read that way, such as malformed JSON, is
    // read whole as before, so its error is JSON.parse's.
    const p = readJsonFile(path);
    const entries = p && 'value' in p ? valueEntries(p.value, name) : parseCaseText(readFileSync(path, 'utf8'), name, 'whole');
    for (const e of entries) await ev.take(e);
    return ev.summary();
  }
  // Bytes, not text: readLines parses each line as it arrives (src/case/lines.ts).
  const stream = path === '-' ? process.stdin : createReadStream(path);
  // Only the first line is ambiguous: alone, it is the whole source (a case without an id is then
  // named after the source, "stdin"); followed by more, it is line 1 of a JSONL stream. It is
  // held back only when that changes its answer (no id, or not a single-line JSON value).
  const held: Line[] = [];
  /** In whole mode, the text so far (lines as strings, as before: a pretty-printed case is many short lines). */
  const whole: string[] = [];
  let mode: 'first' | 'lines' | 'whole' = path.endsWith('.jsonl') ? 'lines' : 'first';
  let n = 0;
  try {
    for await (const line of readLines(stream, () => mode !== 'whole')) {
      n++;
      if (mode === 'whole') {
        whole.push(line.text());
        line.dispose();
        continue;
      }
      if (line.blank()) {
        if (held.length) held.push(line);
        else line.dispose();
        continue;
      }
      if (mode === 'first') {
        if (held.length === 0) {
          const p = line.parse();
          if ('error' in p) mode = 'whole';
          else if (hasId(p.value)) mode = 'lines';
          if (mode === 'whole') {
            whole.push(...new Array<string>(n - 1).fill(''), line.text());
            line.dispose();
            continue;
          }
          if (mode !== 'lines') {
            held.push(...new Array<Line>(n - 1).fill(EMPTY_LINE), line);
            continue;
          }
        } else {
          mode = 'lines';
          const k = held.findIndex((l) => !l.blank());
          await ev.line(held[k]!, name, k + 1);
          disposeAll(held);
        }
      }
      await ev.line(line, name, n);
      line.dispose();
    }
    if (whole.length) for (const e of parseCaseText(whole.join('\n'), name, 'auto')) await ev.take(e);
    else if (held.length) for (const e of heldEntries(held, name)) await ev.take(e);
  } finally {
    disposeAll(held);
  }
  return ev.summary();
}

function disposeAll(lines: Line[]): void {
  for (const l of lines) l.dispose();
  lines.length = 0;
}

/**
 * What parseCaseText(text of `held` joined by \n, 'auto') gives. One JSON line among blank ones
 * that are JSON whitespace is its value, already parsed; anything else is read from the text.
 */
function heldEntries(held: readonly Line[], name: string): Entry[] {
  const solid = held.filter((l) => !l.blank());
  const only = solid.length === 1 ? solid[0]!.parse() : undefined;
  if (only && 'value' in only && held.every((l) => !l.blank() || /^[ \t]*$/.test(l.text()))) return valueEntries(only.value, name);
  return parseCaseText(held.map((l) => l.text()).join('\n'), name, 'auto');
}

function hasId(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Record<string, unknown>)['id'] === 'string';
}
