/**
 * `convcheck eval` on cases past the streamed reader's text limit (src/case/stream.ts), from a file
 * and from stdin: the same answers as parsing the text whole in process, and the same errors.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/case/case.js';
import { lineEntry, outcomeJson, parseCaseText, type Entry } from '../../src/case/io.js';
import { cli, ensureBuilt, MAIN } from '../built-cli.js';

beforeAll(ensureBuilt, 120_000);

const side = 300;
/** Every number form: decimals float32 rounds, exponents, -0, and the non-finite strings. */
const value = (i: number): string => (i % 97 === 0 ? '"NaN"' : i % 101 === 0 ? '"-Infinity"' : i % 5 === 0 ? '-0' : i % 3 === 0 ? `${(i % 13) - 6}e-3` : String(((i % 17) - 8) * 0.1));
const data = (n: number) => Array.from({ length: n }, (_, i) => value(i)).join(',');
const caseText = (id: string | undefined, values = data(3 * side * side)) =>
  `{${id !== undefined ? `"id":${JSON.stringify(id)},` : ''}"framework":"torch","op":"conv2d","attrs":{"padding":1},"inputs":{"input":{"shape":[1,3,${side},${side}],"data":[${values}]},"weight":{"shape":[2,3,3,3],"data":[${data(54).replaceAll('"NaN"', '1').replaceAll('"-Infinity"', '2')}]}}}`;

/** What eval prints for these entries, computed in process from the text parsed whole. */
function expected(entries: Entry[]): { stdout: string; stderr: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  for (const e of entries) {
    if ('error' in e) err.push(`convcheck eval: ${e.error.message}`);
    else out.push(JSON.stringify(outcomeJson(e.case.id, evaluate(e.case))));
  }
  return { stdout: out.map((l) => l + '\n').join(''), stderr: err };
}

describe('eval on large cases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convcheck-large-'));
  const big = caseText('big');
  expect(big.length).toBeGreaterThan(1 << 20);

  it('a .json file and a .jsonl file give the answers of the text parsed whole', () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, big);
    const r = cli(['eval', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected(parseCaseText(big, 'big.json', 'whole')).stdout);
    const jsonl = join(dir, 'two.jsonl');
    writeFileSync(jsonl, `${caseText('a')}\n\n${caseText('b')}\n`);
    expect(cli(['eval', jsonl]).stdout).toBe(expected([lineEntry(caseText('a'), 'two.jsonl', 1), lineEntry(caseText('b'), 'two.jsonl', 3)]).stdout);
  });

  it('stdout a file (written at once, one shared buffer) or a pipe (waiting for drain): the same text', () => {
    const jsonl = join(dir, 'two.jsonl');
    writeFileSync(jsonl, `${caseText('a')}\n${caseText('b')}\n`);
    const want = expected([lineEntry(caseText('a'), 'two.jsonl', 1), lineEntry(caseText('b'), 'two.jsonl', 2)]).stdout;
    const out = join(dir, 'out.jsonl');
    const fd = openSync(out, 'w');
    try {
      expect(spawnSync(process.execPath, [MAIN, 'eval', jsonl], { stdio: ['ignore', fd, 'pipe'] }).status).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(out, 'utf8')).toBe(want);
    expect(cli(['eval', jsonl]).stdout).toBe(want);
  });

  it('stdin: one line with an id, one without (named stdin), two lines, and a pretty-printed case', () => {
    const want = expected(parseCaseText(big, 'stdin', 'whole')).stdout;
    expect(cli(['eval', '-'], big + '\n').stdout).toBe(want);
    const noId = caseText(undefined);
    expect(cli(['eval', '-'], `\n${noId}\n\n`).stdout).toBe(expected(parseCaseText(noId, 'stdin', 'whole')).stdout);
    expect(cli(['eval', '-'], `${noId}\r\n${noId}`).stdout).toBe(expected([lineEntry(noId, 'stdin', 1), lineEntry(noId, 'stdin', 2)]).stdout);
    const pretty = JSON.stringify(JSON.parse(big), null, 1);
    expect(cli(['eval', '-'], pretty).stdout).toBe(want);
  });

  it('malformed large input: the errors of the text parsed whole, never a stack trace', () => {
    const truncated = big.slice(0, big.length - 1000);
    const file = join(dir, 'truncated.json');
    writeFileSync(file, truncated);
    const t = cli(['eval', file]);
    expect(t.status).toBe(2);
    expect(t.stderr.split('\n')[0]).toBe(expected(parseCaseText(truncated, 'truncated.json', 'whole')).stderr[0]);

    const values = data(3 * side * side).split(',');
    const cases = {
      'a value that is not a number': values.map((v, i) => (i === 1000 ? 'true' : v)).join(','),
      'a number JSON does not allow': values.map((v, i) => (i === 1000 ? '01' : v)).join(','),
      'a string that is not NaN or ±Infinity': values.map((v, i) => (i === 100000 ? '"nan"' : v)).join(','),
      'one value too many': [...values, '1'].join(','),
    };
    for (const [what, vs] of Object.entries(cases)) {
      const text = caseText('bad', vs);
      const want = expected([lineEntry(text, 'stdin', 1)]).stderr[0];
      const r = cli(['eval', '-'], `${text}\n`);
      expect(r.status, what).toBe(2);
      expect(r.stderr.split('\n')[0], what).toBe(want);
      expect(r.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const f = join(dir, 'bad.json');
      writeFileSync(f, text);
      expect(cli(['eval', f]).stderr.split('\n')[0], what).toBe(expected(parseCaseText(text, 'bad.json', 'whole')).stderr[0]);
    }
  });
});
