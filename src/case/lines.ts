/**
 * The lines of a source read line by line (stdin, or a file that is neither `.json` nor read
 * whole), split as readline splits them (at \n, \r\n and \r), each parsed by StreamedJson as its
 * bytes arrive: a 10⁷-value case on one line never becomes a string.
 *
 * A line's text is still kept, because some answers need it: a line that is not JSON gets
 * JSON.parse's own message, and a source whose first line is not JSON alone is read whole as
 * before. Short lines stay in memory; past KEEP_BYTES a line's text goes to a temporary file
 * (on disk: the point is that it is not in memory), read back only if asked, removed with the line.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamedJson } from './stream.js';

const KEEP_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

/** JSON.parse's answer for a line: its value, or the error it throws. */
export type Parsed = { value: unknown } | { error: Error };

export class Line {
  private text_: string | undefined;
  private parsed: Parsed | undefined;

  constructor(
    private readonly kept: Buffer[],
    private readonly spool: string | undefined,
    /** Its bytes went through this (when the reader was asked to parse); ended only if parse() is called. */
    private readonly json: StreamedJson | undefined,
    /** The first byte that String.prototype.trim would not remove, when it is ASCII; -1 for none; 0x80 when unsure. */
    private readonly solid: number,
  ) {}

  /** The line as readline gives it. */
  text(): string {
    this.text_ ??= (this.spool ? readFileSync(this.spool) : Buffer.concat(this.kept)).toString('utf8');
    return this.text_;
  }

  /** `text().trim() === ''`, without reading a long line back. */
  blank(): boolean {
    return this.solid === -1 || (this.solid >= 0x80 && this.text().trim() === '');
  }

  /** JSON.parse(text()): the streamed answer when there is one, else JSON.parse itself. */
  parse(): Parsed {
    this.parsed ??= this.json?.end() ?? parseText(this.text());
    return this.parsed;
  }

  /** Removes the temporary file, if any. */
  dispose(): void {
    if (this.spool) rmSync(join(this.spool, '..'), { recursive: true, force: true });
  }
}

function parseText(text: string): Parsed {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: e as Error };
  }
}

/** A blank line standing in for one that was not kept (evalSource holds the lines before the first as ''). */
export const EMPTY_LINE = new Line([], undefined, undefined, -1);

/** ASCII whitespace that trim() removes; \r and \n never occur inside a line. */
const isTrimmed = (b: number) => b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c;

class LineBuilder {
  private readonly json: StreamedJson | undefined;
  private kept: Buffer[] = [];
  private bytes = 0;
  private spool: string | undefined;
  private solid = -1;
  /** Whether the line has any byte (a source's last line without a newline is a line only then). */
  any = false;

  constructor(parse: boolean) {
    this.json = parse ? new StreamedJson() : undefined;
  }

  add(b: Buffer): void {
    if (b.length === 0) return;
    this.any = true;
    this.json?.push(b);
    if (this.solid === -1) {
      for (let i = 0; i < b.length && this.solid === -1; i++) if (!isTrimmed(b[i]!)) this.solid = b[i]! >= 0x80 ? 0x80 : b[i]!;
    }
    this.bytes += b.length;
    if (this.spool) appendFileSync(this.spool, b);
    else if (this.bytes <= KEEP_BYTES) this.kept.push(Buffer.from(b));
    else {
      this.spool = join(mkdtempSync(join(tmpdir(), 'convcheck-line-')), 'line');
      appendFileSync(this.spool, Buffer.concat([...this.kept, b]));
      this.kept = [];
    }
  }

  done(): Line {
    const l = new Line(this.kept, this.spool, this.json, this.solid);
    this.spool = undefined; // the Line's now
    return l;
  }

  /** A line the reader never finished (the source failed, or the reader was left): its temporary file goes. */
  abandon(): void {
    if (this.spool) rmSync(join(this.spool, '..'), { recursive: true, force: true });
  }
}

/**
 * The lines of a byte stream, each yielded as soon as its end arrives. `parse()` says, as each
 * line begins, whether it will be parsed on its own (evalSource: not once the source is read whole).
 */
export async function* readLines(source: AsyncIterable<Buffer | string>, parse: () => boolean = () => true): AsyncGenerator<Line> {
  let line = new LineBuilder(parse());
  let afterCR = false;
  try {
    for await (const chunk of source) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let from = 0;
      for (let i = 0; i < b.length; i++) {
        const c = b[i]!;
        if (c !== LF && c !== CR) {
          afterCR = false;
          continue;
        }
        if (c === LF && afterCR && i === from) {
          // The \n of a \r\n: the line already ended at the \r.
          afterCR = false;
          from = i + 1;
          continue;
        }
        line.add(b.subarray(from, i));
        yield line.done();
        line = new LineBuilder(parse());
        afterCR = c === CR;
        from = i + 1;
      }
      line.add(b.subarray(from));
    }
    if (line.any) yield line.done();
  } finally {
    line.abandon();
  }
}
