/**
 * The parts of "hostile input never crashes" that a fuzz cannot pin down: the memory guard's
 * limits and messages, streaming answers, internal errors as lines, escaped terminal output, and
 * the atomic writer with symlinks and directories.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type Case, type CaseJson } from '../src/case/case.js';
import { WriteError, writeFileAtomic } from '../src/case/io.js';
import { evalExitCode, evalSource } from '../src/cli/eval.js';
import { reference } from '../src/conventions/index.js';
import { LimitError, show } from '../src/core/errors.js';
import { DEFAULT_MAX_ELEMENTS, setMaxElements } from '../src/core/shapes.js';
import { cli, ensureBuilt, MAIN, ROOT } from './built-cli.js';

beforeAll(ensureBuilt, 120_000);
afterEach(() => void setMaxElements(DEFAULT_MAX_ELEMENTS));

const ESC = '\x1b';
const line = (c: object) => JSON.stringify(c);
const conv1d = (id: string, attrs: object = { stride: 1, padding: 'VALID' }): CaseJson =>
  ({ id, framework: 'tf', op: 'conv1d', attrs, inputs: { input: { shape: [1, 4, 1], data: [1, 2, 3, 4] }, filters: { shape: [2, 1, 1], data: [1, -1] } } }) as CaseJson;

function refusal(json: object): string {
  try {
    reference(parseCase(json, 't'));
  } catch (e) {
    if (e instanceof LimitError) return e.message;
    throw e;
  }
  throw new Error('not refused');
}

describe('memory guard', () => {
  it.each([
    ['torch conv1d padding 1e9', { framework: 'torch', op: 'conv1d', attrs: { padding: 1e9 }, inputs: { input: { shape: [1, 1, 2], data: [1, 2] }, weight: { shape: [1, 1, 1], data: [1] } } }, /padded input \[1, 2000000002, 1\] would have 2000000002 elements/],
    ['jax lhs_dilation 1e12', { framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: [[0, 0]], lhs_dilation: [1e12] }, inputs: { lhs: { shape: [1, 1, 2], data: [1, 2] }, rhs: { shape: [1, 1, 1], data: [1] } } }, /dilated input \[1, 1000000000001, 1\]/],
    ['onnx output_shape 2^40', { framework: 'onnx', op: 'ConvTranspose', attrs: { output_shape: [2 ** 40] }, inputs: { X: { shape: [1, 1, 2], data: [1, 2] }, W: { shape: [1, 1, 1], data: [1] } } }, /would have \d+ elements/],
    ['jax rhs_dilation 1e9 with a padding to fit it', { framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: [[0, 1e9]], rhs_dilation: [1e9] }, inputs: { lhs: { shape: [1, 1, 2], data: [1, 2] }, rhs: { shape: [1, 1, 2], data: [1, 2] } } }, /padded input/],
    ['an empty operand with 4M windows of 4M taps (no memory, all time)', { framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1, 1], padding: [[2000, 2000], [2000, 2000]] }, inputs: { lhs: { shape: [1, 0, 0, 0], data: [] }, rhs: { shape: [1, 0, 2000, 2000], data: [] } } }, /multiply-adds/],
  ])('%s: refused before allocating, naming what is too large', (_, json, message) => {
    const t0 = performance.now();
    expect(refusal(json)).toMatch(message);
    expect(refusal(json)).toMatch(/--max-elements/);
    expect(performance.now() - t0).toBeLessThan(5000); // generous: refusing is arithmetic only
  });

  it('a zero batch beside a 2^53 axis is refused when the case is read', () => {
    expect(() => parseCase({ framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: 'VALID' }, inputs: { lhs: { shape: [0, 1, 2 ** 53], data: [] }, rhs: { shape: [1, 1, 1], data: [1] } } }, 'z')).toThrow(/inputs\.lhs\.shape\[2\]: 9007199254740992 is longer than the limit/);
  });

  it('the limit is the one set: a call whose largest tensor has 4 elements is computed at 4, refused at 3', () => {
    const c = parseCase(conv1d('small'), 't');
    setMaxElements(4);
    expect(reference(c).data).toEqual(Float64Array.from([-1, -1, -1]));
    setMaxElements(3);
    expect(() => reference(c)).toThrow(/lhs \[1, 4, 1\] would have 4 elements, more than the limit of 3/);
  });

  it('--max-elements on eval: refused on stderr with exit 2, the other cases answered', () => {
    const r = cli(['eval', '-', '--max-elements', '3'], `${line(conv1d('a'))}\n${line({ ...conv1d('b'), inputs: { input: { shape: [1, 2, 1], data: [1, 2] }, filters: { shape: [1, 1, 1], data: [2] } } })}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout.trim()).toBe('{"id":"b","shape":[1,2,1],"data":[2,4]}');
    expect(r.stderr).toMatch(/case a: refused: tf\.conv1d: lhs \[1, 4, 1\] would have 4 elements, more than the limit of 3 \(--max-elements\)/);
    expect(cli(['eval', '-', '--max-elements', 'lots'], line(conv1d('a'))).stderr).toMatch(/--max-elements must be a positive integer/);
  });
});

describe('no recursion on user-controlled depth', () => {
  const deep = (d: number) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown;

  it('show() prints a 100,000-deep value briefly', () => {
    expect(show(deep(100_000))).toBe('[[[[[…]]]]]');
  });

  it('5,000-deep nesting in an attribute, a shape and the data: clear errors from eval and translate', () => {
    const d = '['.repeat(5000) + ']'.repeat(5000);
    const text = [
      `{"id":"attr","framework":"tf","op":"conv1d","attrs":{"stride":${d},"padding":"SAME"},"inputs":{"input":{"shape":[1,2,1],"data":[1,2]},"filters":{"shape":[1,1,1],"data":[1]}}}`,
      `{"id":"shape","framework":"tf","op":"conv1d","inputs":{"input":{"shape":${d},"data":[1,2]},"filters":{"shape":[1,1,1],"data":[1]}}}`,
      `{"id":"data","framework":"tf","op":"conv1d","inputs":{"input":{"shape":[1,1,1],"data":${d}},"filters":{"shape":[1,1,1],"data":[1]}}}`,
    ].join('\n');
    const r = cli(['eval', '-'], text);
    expect(r.status).toBe(2);
    expect(r.stdout.trim()).toBe('{"id":"attr","error":"tf.conv1d: stride must be an integer or a list of integers, got [[[[[…]]]]]"}');
    expect(r.stderr).toContain('case shape: inputs.input.shape: must be a list of non-negative integers, got [[[[[…]]]]]');
    expect(r.stderr).toContain('case data: inputs.input.data[0]: must be a number (or "NaN", "Infinity", "-Infinity"), got [[[[[…]]]]]');
    const t = cli(['translate', '-', '--to', 'jax'], text.split('\n')[1]);
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/^convcheck translate: case shape: inputs\.input\.shape: must be a list/);
  });
});

describe('eval streams and never loses a batch', () => {
  it('answers each line as soon as it is read, before stdin closes', async () => {
    const p = spawn(process.execPath, [MAIN, 'eval', '-'], { cwd: ROOT });
    const got: string[] = [];
    let buf = '';
    const next = () =>
      new Promise<string>((resolve) => {
        const check = () => {
          const i = buf.indexOf('\n');
          if (i < 0) return void p.stdout.once('data', (d: Buffer) => ((buf += d.toString()), check()));
          const l = buf.slice(0, i);
          buf = buf.slice(i + 1);
          resolve(l);
        };
        check();
      });
    for (const id of ['first', 'second']) {
      p.stdin.write(line(conv1d(id)) + '\n');
      got.push(await next()); // stdin is still open: the answer came out before the end
    }
    p.stdin.end();
    await new Promise((r) => p.on('close', r));
    expect(got).toEqual(['{"id":"first","shape":[1,3,1],"data":[-1,-1,-1]}', '{"id":"second","shape":[1,3,1],"data":[-1,-1,-1]}']);
    expect(p.exitCode).toBe(0);
  });

  it('an internal error is a line {id, error: "internal: …"} and exit 3; the cases after it are answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-internal-'));
    const file = join(dir, 'cases.jsonl');
    writeFileSync(file, [conv1d('ok-1'), conv1d('boom'), conv1d('ok-2')].map(line).join('\n'));
    const out: string[] = [];
    const err: string[] = [];
    const bugged = (c: Case) => {
      if (c.id === 'boom') throw new TypeError("Cannot read properties of undefined (reading 'shape')");
      return evaluate(c);
    };
    const s = await evalSource(file, (l) => out.push(l), (l) => err.push(l), { evaluate: bugged });
    expect(out).toEqual([
      '{"id":"ok-1","shape":[1,3,1],"data":[-1,-1,-1]}',
      `{"id":"boom","error":"internal: Cannot read properties of undefined (reading 'shape')"}`,
      '{"id":"ok-2","shape":[1,3,1],"data":[-1,-1,-1]}',
    ]);
    expect(err.join('\n')).toMatch(/internal error on case boom/);
    expect(evalExitCode(s)).toBe(3);
  });

  it('a source without ids: one line alone is named after the source, several by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-ids-'));
    const noId = { ...conv1d('x') } as Record<string, unknown>;
    delete noId['id'];
    const one = cli(['eval', '-'], line(noId) + '\n');
    expect(JSON.parse(one.stdout).id).toBe('stdin');
    const two = cli(['eval', '-'], `${line(noId)}\n\n${line(noId)}\n`);
    expect(two.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['stdin:1', 'stdin:3']);
    const pretty = join(dir, 'pretty.txt');
    writeFileSync(pretty, JSON.stringify(noId, null, 2));
    const out: string[] = [];
    await evalSource(pretty, (l) => out.push(l), () => {});
    expect(out).toEqual(['{"id":"pretty.txt","shape":[1,3,1],"data":[-1,-1,-1]}']);
  });
});

describe('terminal output escapes control characters', () => {
  const evil = `x${ESC}]0;pwned\x07${ESC}[2J\x9b31m\ry`;

  it('eval: ids in stderr messages and stdout lines', () => {
    const r = cli(['eval', '-'], `${line({ ...conv1d(evil), op: 'nope' })}\n${line(conv1d(evil, { stride: 1, padding: `SAME${ESC}[31m` }))}\n`);
    expect(r.stderr).toContain('case x\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x0dy: op:');
    for (const s of [r.stdout, r.stderr]) expect(s).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(JSON.parse(r.stdout).id).toBe(evil); // escaped as JSON, not lost
  });

  it('translate and diagnose: ids from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-esc-'));
    const file = join(dir, 'cases.jsonl');
    writeFileSync(file, [conv1d(evil), conv1d(`${evil}2`)].map(line).join('\n'));
    for (const args of [['translate', file, '--to', 'jax'], ['diagnose', `${file}#nope`, `${file}#nope`]]) {
      const r = cli(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('\\x1b]0;pwned');
      expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
  });
});

describe('--out: the atomic writer', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'convcheck-out-'));

  it('writes through a symlink: the link stays, its target gets the content', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.json'), 'old');
    symlinkSync(join(dir, 'real', 'report.json'), join(dir, 'link.json'));
    writeFileAtomic(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'report.json'), 'utf8')).toBe('new');
    // A dangling link is created where it points.
    symlinkSync(join(dir, 'real', 'later.json'), join(dir, 'dangling.json'));
    writeFileAtomic(join(dir, 'dangling.json'), 'made');
    expect(readFileSync(join(dir, 'real', 'later.json'), 'utf8')).toBe('made');
    expect(readdirSync(join(dir, 'real')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a directory with a clear error and leaves no .tmp', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out'));
    expect(() => writeFileAtomic(join(dir, 'out'), 'x')).toThrow(WriteError);
    expect(() => writeFileAtomic(join(dir, 'out'), 'x')).toThrow(/cannot write .*out: it is a directory/);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('convcheck run --out DIR writes DIR/convcheck.json (several formats share a directory), no .tmp left', () => {
    const dir = fresh();
    const r = cli(['run', '--oracles', 'reference', '--properties', 'shape-law', '--runs', '2', '--seed', '1', '--no-regressions', '--report', 'json', '--out', dir]);
    expect(r.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['convcheck.json']);
    expect(JSON.parse(readFileSync(join(dir, 'convcheck.json'), 'utf8'))).toMatchObject({ tool: 'convcheck', command: 'run' });
  });

  it('convcheck run --out under a regular file: exit 2, one line, no stack trace, no .tmp', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    const r = cli(['run', '--oracles', 'reference', '--properties', 'shape-law', '--runs', '2', '--seed', '1', '--no-regressions', '--report', 'json', '--out', join(dir, 'file', 'report.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/convcheck: cannot write /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['file']);
  });
});

describe('run and validate: the window and the processes', () => {
  const cores = availableParallelism();
  it.each([
    [['run', '--oracles', 'ort', '--hosts', '0'], /--hosts must be a positive integer, got "0"/],
    [['run', '--oracles', 'ort', '--hosts', '1.5'], /--hosts must be a positive integer, got "1.5"/],
    [['run', '--oracles', 'ort', '--hosts', 'many'], /--hosts must be a positive integer, got "many"/],
    [['run', '--oracles', 'ort', '--hosts', '150'], new RegExp(`--hosts must be at most ${2 * cores} \\(two per core\\), got 150`)],
    [['validate', '--cmd', 'python3 examples/onnx_conv.py', '--hosts', '150'], new RegExp(`--hosts must be at most ${2 * cores}`)],
    [['run', '--oracles', 'ort', '--in-flight', '0'], /--in-flight must be a positive integer, got "0"/],
    // A Node timer fires at once past 2³¹ ms: a 1000 h timeout failed every call.
    [['run', '--oracles', 'ort', '--timeout', '1000h'], /--timeout must be at most 24h, got "1000h"/],
    [['run', '--oracles', 'ort', '--timeout', 'abc'], /--timeout must look like 90s, 2m, 8h or 1500ms, got "abc"/],
    [['validate', '--cmd', 'python3 examples/onnx_conv.py', '--timeout', '0'], /--timeout must be positive, got "0"/],
    [['run', '--oracles', 'ort', '--time-budget', '0'], /--time-budget must be positive, got "0"/],
    [['run', '--oracles', 'ort', '--campaign', '--round-budget', '0s'], /--round-budget must be positive, got "0s"/],
    // An empty seed was seed 0; a 20-digit one printed a different number than was asked for.
    [['run', '--oracles', 'ort', '--seed', ''], /--seed must be an integer of at most 15 digits, got ""/],
    [['validate', '--cmd', 'python3 examples/onnx_conv.py', '--seed', '99999999999999999999'], /--seed must be an integer of at most 15 digits, got "99999999999999999999"/],
    // Ran nothing and exited 0.
    [['run', '--oracles', ','], /--oracles names none \(known: reference, ort,/],
    [['run', '--properties', ' , '], /--properties names none/],
  ])('%j is a usage error before anything starts', (args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
