/**
 * Reading a large case without holding its text: the bytes go through a scanner that parses every
 * long array of JSON numbers straight into a Float64Array and leaves a short placeholder string in
 * its place; the rest (the "skeleton": ids, shapes, attrs, short arrays) stays text, and JSON.parse
 * reads it as before. A 10⁷-value case then costs its Float64Array, not a file buffer, a string of
 * ~20 bytes per value and an array of boxed numbers.
 *
 * Why this is exactly JSON.parse: a placeholder replaces only a complete, grammatical array of
 * numbers (and the strings "NaN", "Infinity", "-Infinity") outside any string, so the skeleton is
 * valid JSON exactly when the source is, and the value is the same but for those arrays. Anything
 * the scanner is unsure of is left as text, or, past RAW_LIMIT bytes (the text is no longer kept),
 * the whole read gives up and the caller parses the source the old way: its errors (JSON.parse's
 * messages, with positions) stay the same, at the old memory cost, only for inputs that are
 * malformed or unusual.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A long array of numbers, read without a JS array. A NaN was the string "NaN" (no JSON number is
 * NaN), a ±Infinity the string "Infinity" or "-Infinity" unless listed in `numberInfinities`
 * (ascending indices of literals past the float64 range, such as 1e400): no per-element record,
 * which on 2²⁴ strings would pass a Map's limit.
 */
export class ParsedNumbers {
  constructor(
    readonly values: Float64Array,
    readonly numberInfinities: readonly number[],
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** What JSON.parse would have made of the array. */
  toArray(): Array<number | string> {
    const a: Array<number | string> = Array.from(this.values);
    let k = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i] as number;
      if (Number.isFinite(x)) continue;
      if (this.numberInfinities[k] === i) k++;
      else a[i] = Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
    }
    return a;
  }
}

/** Arrays whose text is longer than this become placeholders; shorter ones stay text, byte for byte. */
const RAW_LIMIT = 1 << 16;
const CHUNK_VALUES = 1 << 16;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isNumberByte = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45;

/** Thrown inside the scanner when a long array turns out not to be numbers: the caller reads the old way. */
class GiveUp extends Error {}

/** An array of numbers being read: values in fixed chunks (no doubling copies), its text while short. */
class Candidate {
  chunks: Float64Array[] = [];
  fill = 0;
  count = 0;
  numberInfinities: number[] = [];
  /** Past the text limit: its text was dropped from the skeleton, and it ends as numbers or not at all. */
  large = false;

  /** `mark`: where its `[` is in the skeleton. */
  constructor(readonly mark: number) {}

  /** 'value': a value may come; 'first': also `]`; 'after': `,` or `]`; 'number' / 'string': inside a token. */
  state: 'first' | 'value' | 'after' | 'number' | 'string' = 'first';
  /** A string element so far; a number's text from earlier chunks (its bytes in this chunk start at `start`). */
  token = '';
  start = 0;

  push(x: number): void {
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.fill === last.length) {
      // Small first (most arrays are shapes and strides), then fixed chunks: no array is ever copied to grow.
      last = new Float64Array(Math.min(CHUNK_VALUES, Math.max(16, this.count)));
      this.chunks.push(last);
      this.fill = 0;
    }
    last[this.fill++] = x;
    this.count++;
  }

  values(): Float64Array {
    const out = new Float64Array(this.count);
    let at = 0;
    this.chunks.forEach((c, k) => {
      const part = k === this.chunks.length - 1 ? c.subarray(0, this.fill) : c;
      out.set(part, at);
      at += part.length;
    });
    this.chunks = [];
    return out;
  }
}

/** Feed bytes with push(), then end(): the value, or undefined when the source must be read the old way. */
export class StreamedJson {
  /** The skeleton so far: the source's bytes, less the long arrays, plus their placeholders. */
  private out = Buffer.allocUnsafe(256);
  private length = 0;
  private readonly arrays: ParsedNumbers[] = [];
  private readonly prefix = `\u0000convcheck-${Math.random().toString(36).slice(2)}:`;
  private inString = false;
  private escaped = false;
  private array: Candidate | undefined;
  private failed = false;

  /** `rawLimit`: arrays with longer text become numbers (tests lower it to reach that path with small inputs). */
  constructor(private readonly rawLimit = RAW_LIMIT) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    try {
      this.scan(chunk);
    } catch (e) {
      if (!(e instanceof GiveUp)) throw e;
      this.failed = true;
      this.out = Buffer.alloc(0);
    }
  }

  /**
   * JSON.parse's answer for the source: its value (long arrays as numbers), or its error when the
   * skeleton is the source itself (no placeholder: the error and its position are the source's);
   * undefined when the source must be read the old way.
   */
  end(): { value: unknown } | { error: Error } | undefined {
    // An unclosed long array: the old way (a short one is still text, and JSON.parse reports it).
    if (this.failed || this.array?.large) return undefined;
    const skeleton = this.out.toString('utf8', 0, this.length);
    try {
      if (this.arrays.length === 0) return { value: JSON.parse(skeleton) as unknown };
      return { value: JSON.parse(skeleton, (key, value: unknown) => this.revive(key, value)) as unknown };
    } catch (e) {
      return this.arrays.length === 0 ? { error: e as Error } : undefined;
    }
  }

  /** A placeholder becomes its numbers: ParsedNumbers under a `data` key (tensor data), else the array JSON.parse would give. */
  private revive(key: string, value: unknown): unknown {
    if (typeof value !== 'string' || !value.startsWith(this.prefix)) return value;
    const a = this.arrays[Number(value.slice(this.prefix.length))]!;
    return key === 'data' ? a : a.toArray();
  }

  private append(b: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.length + n > this.out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.length + n));
      this.out.copy(bigger, 0, 0, this.length);
      this.out = bigger;
    }
    b.copy(this.out, this.length, from, to);
    this.length += n;
  }

  private scan(b: Buffer): void {
    let from = 0; // start of this chunk's bytes not yet in the skeleton
    for (let i = 0; i < b.length; i++) {
      const a = this.array;
      if (a) {
        if (a.state === 'number') {
          // The hot loop: a number's bytes are skipped here and read once at its end.
          while (i < b.length && isNumberByte(b[i]!)) i++;
          if (i === b.length) break;
        }
        const done = this.step(a, b, i);
        if (done === 'more') continue;
        this.array = undefined;
        if (done === 'closed') {
          if (a.large || this.length + (i + 1 - from) - a.mark > this.rawLimit) {
            // Long: its text leaves the skeleton, a placeholder takes its place.
            this.length = a.mark;
            from = i + 1;
            this.arrays.push(new ParsedNumbers(a.values(), a.numberInfinities));
            const placeholder = Buffer.from(JSON.stringify(this.prefix + String(this.arrays.length - 1)));
            this.append(placeholder, 0, placeholder.length);
          }
        } else {
          // Not an array of numbers: its text stays, and the scan goes on as text from this byte
          // (inside the string, if it was a string element).
          if (a.large) throw new GiveUp();
          this.inString = a.state === 'string';
          i--;
        }
        continue;
      }
      const c = b[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN) {
        this.append(b, from, i);
        from = i;
        this.array = new Candidate(this.length);
      }
    }
    const a = this.array;
    if (!a?.large) this.append(b, from, b.length);
    if (a && !a.large && this.length - a.mark > this.rawLimit) {
      a.large = true;
      this.length = a.mark;
    }
    if (a?.state === 'number') {
      a.token += b.toString('latin1', a.start);
      a.start = 0;
    }
  }

  /**
   * One byte inside an array (b[i]; the `[` itself at the start). 'closed' at its `]`, 'other' at
   * the first byte that is not part of an array of numbers (this byte is then scanned as text).
   */
  private step(a: Candidate, b: Buffer, i: number): 'more' | 'closed' | 'other' {
    const c = b[i]!;
    switch (a.state) {
      case 'number': {
        // Here at the byte after the number (scan skips its bytes): the token is complete.
        const token = a.token + b.toString('latin1', a.start, i);
        if (!NUMBER.test(token)) return 'other';
        const x = Number(token);
        if (!Number.isFinite(x)) a.numberInfinities.push(a.count);
        a.push(x);
        a.token = '';
        a.state = 'after';
        return this.step(a, b, i);
      }
      case 'string':
        if (c === QUOTE) {
          if (!Object.hasOwn(NON_FINITE, a.token)) return 'other';
          a.push(NON_FINITE[a.token]!);
          a.token = '';
          a.state = 'after';
          return 'more';
        }
        if (c === BACKSLASH || c < 0x20 || c >= 0x80 || a.token.length > 9) return 'other';
        a.token += String.fromCharCode(c);
        return 'more';
      case 'after':
        if (isSpace(c)) return 'more';
        if (c === CLOSE) return 'closed';
        if (c === COMMA) {
          a.state = 'value';
          return 'more';
        }
        return 'other';
      default:
        if (isSpace(c)) return 'more';
        if (c === CLOSE && a.state === 'first') return 'closed';
        if (c === QUOTE) {
          a.token = '';
          a.state = 'string';
          return 'more';
        }
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          a.token = '';
          a.start = i;
          a.state = 'number';
          return 'more';
        }
        return 'other';
    }
  }
}

const READ_BYTES = 1 << 20;

/** A file read through StreamedJson (see StreamedJson.end). */
export function readJsonFile(path: string): ReturnType<StreamedJson['end']> {
  const s = new StreamedJson();
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(READ_BYTES);
    for (;;) {
      const n = readSync(fd, buf, 0, READ_BYTES, null);
      if (n === 0) break;
      s.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return s.end();
}
