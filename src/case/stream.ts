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

/** A long array of numbers, read without a JS array. `strings` keeps which elements were "NaN", "Infinity", "-Infinity". */
export class ParsedNumbers {
  constructor(
    readonly values: Float64Array,
    readonly strings: ReadonlyMap<number, string> | undefined,
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** What JSON.parse would have made of the array. */
  toArray(): Array<number | string> {
    const a: Array<number | string> = Array.from(this.values);
    for (const [i, s] of this.strings ?? []) a[i] = s;
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
  fill = CHUNK_VALUES;
  count = 0;
  strings: Map<number, string> | undefined;
  raw: Buffer[] | undefined = [];
  rawBytes = 0;

  constructor(private readonly rawLimit: number) {}

  /** 'value': a value may come; 'first': also `]`; 'after': `,` or `]`; 'number' / 'string': inside a token. */
  state: 'first' | 'value' | 'after' | 'number' | 'string' = 'first';
  /** A string element so far; a number's text from earlier chunks (its bytes in this chunk start at `start`). */
  token = '';
  start = 0;

  push(x: number): void {
    if (this.fill === CHUNK_VALUES) {
      this.chunks.push(new Float64Array(CHUNK_VALUES));
      this.fill = 0;
    }
    this.chunks[this.chunks.length - 1]![this.fill++] = x;
    this.count++;
  }

  keep(bytes: Buffer): void {
    if (!this.raw) return;
    this.rawBytes += bytes.length;
    if (this.rawBytes > this.rawLimit) this.raw = undefined;
    else this.raw.push(Buffer.from(bytes));
  }

  values(): Float64Array {
    const out = new Float64Array(this.count);
    this.chunks.forEach((c, k) => out.set(k === this.chunks.length - 1 ? c.subarray(0, this.fill) : c, k * CHUNK_VALUES));
    this.chunks = [];
    return out;
  }
}

/** Feed bytes with push(), then end(): the value, or undefined when the source must be read the old way. */
export class StreamedJson {
  private readonly parts: Buffer[] = [];
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
      this.parts.length = 0;
    }
  }

  end(): unknown {
    if (this.failed) return undefined;
    if (this.array) {
      // An unclosed array: its text if kept (JSON.parse then reports it), else the old way.
      if (!this.array.raw) return undefined;
      this.parts.push(...this.array.raw);
    }
    const skeleton = Buffer.concat(this.parts).toString('utf8');
    let v: unknown;
    try {
      v = JSON.parse(skeleton, (key, value: unknown) => this.revive(key, value));
    } catch {
      return undefined;
    }
    return v;
  }

  /** A placeholder becomes its numbers: ParsedNumbers under a `data` key (tensor data), else the array JSON.parse would give. */
  private revive(key: string, value: unknown): unknown {
    if (typeof value !== 'string' || !value.startsWith(this.prefix)) return value;
    const a = this.arrays[Number(value.slice(this.prefix.length))]!;
    return key === 'data' ? a : a.toArray();
  }

  private scan(b: Buffer): void {
    let from = 0; // start of the bytes not yet copied to the skeleton
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (this.array) {
        const a = this.array;
        if (a.state === 'number') {
          // The hot loop: a number's bytes are skipped here and read once at its end.
          while (i < b.length && isNumberByte(b[i]!)) i++;
          if (i === b.length) break;
        }
        const done = this.step(a, b, i);
        if (done === 'more') continue;
        a.keep(b.subarray(from, done === 'closed' ? i + 1 : i));
        from = done === 'closed' ? i + 1 : i;
        this.array = undefined;
        if (done === 'closed') this.close(a);
        else {
          // Not an array of numbers: its text goes to the skeleton and the scan goes on as text.
          if (!a.raw) throw new GiveUp();
          this.parts.push(...a.raw);
          // Inside a string element, the text goes on inside that string.
          this.inString = a.state === 'string';
          i--;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN) {
        this.parts.push(Buffer.from(b.subarray(from, i)));
        this.array = new Candidate(this.rawLimit);
        from = i;
      }
    }
    const a = this.array;
    if (a) {
      a.keep(b.subarray(from));
      if (a.state === 'number') {
        a.token += b.toString('latin1', a.start);
        a.start = 0;
      }
    } else this.parts.push(Buffer.from(b.subarray(from)));
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
        a.push(Number(token));
        a.token = '';
        a.state = 'after';
        return this.step(a, b, i);
      }
      case 'string':
        if (c === QUOTE) {
          if (!Object.hasOwn(NON_FINITE, a.token)) return 'other';
          (a.strings ??= new Map()).set(a.count, a.token);
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

  private close(a: Candidate): void {
    if (a.raw) {
      this.parts.push(...a.raw);
      return;
    }
    this.arrays.push(new ParsedNumbers(a.values(), a.strings));
    this.parts.push(Buffer.from(JSON.stringify(this.prefix + String(this.arrays.length - 1))));
  }
}

const READ_BYTES = 1 << 20;

/** A file read through StreamedJson: its JSON value, or undefined when it must be read the old way. */
export function readJsonFile(path: string): unknown {
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
