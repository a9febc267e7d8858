/**
 * The process protocol client (oracles/process/backend.ts) in an isolated host, against a faulty
 * program (oracles/testing/fake_program.py): every way a program can misbehave is a 'failed'
 * result naming what happened, the next call gets a fresh program, and pipelined answers that
 * come back out of order reach their own calls.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IsolatedOracle } from '../../oracles/isolated.js';
import { parseHello, pythonPath } from '../../oracles/process/backend.js';
import type { OracleResult } from '../../oracles/types.js';
import { parseCase } from '../../src/case/case.js';
import { reference } from '../../src/conventions/index.js';
import { running } from '../helpers/processes.js';

const FAKE = 'python3 oracles/testing/fake_program.py';
const call = (first: number, second = 2) =>
  parseCase({ framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, 2], data: [first, second] }, W: { shape: [1, 1, 1], data: [3] } } }, 'process');

const open: IsolatedOracle[] = [];
function program(options: Record<string, string> = {}, timeoutMs = 3000): IsolatedOracle {
  const o = new IsolatedOracle('fake', { timeoutMs, backend: { module: './process/backend.js', options: { shell: FAKE, options } } });
  open.push(o);
  return o;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

const error = (r: OracleResult) => (r as { error: string }).error;

describe('process protocol client', () => {
  it('reads the hello and answers, refuses and says unsupported', async () => {
    const o = program();
    expect(await o.start()).toBeUndefined();
    expect(o.info).toEqual({ name: 'fake', framework: 'onnx', ops: ['Conv'], float64: false });
    const r = await o.run(call(0));
    expect(r).toMatchObject({ kind: 'value', shape: [1, 1, 2] });
    expect(Array.from((r as { data: Float64Array }).data)).toEqual([0, 6]);
    expect(await o.run(call(1))).toEqual({ kind: 'rejected', error: 'fake: refused on purpose' });
    expect(await o.run(call(9))).toEqual({ kind: 'unsupported', reason: 'fake: not this one' });
  });

  it('a hang is a failure at the timeout, the hung program is killed, and a fresh one answers', async () => {
    const pidfile = join(mkdtempSync(join(tmpdir(), 'convcheck-')), 'pid');
    const o = program({ pidfile }, 1500);
    const r = await o.run(call(2));
    expect(r.kind).toBe('failed');
    expect(error(r)).toMatch(/no answer within 1500 ms/);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    await new Promise((res) => setTimeout(res, 200));
    expect(running(pid)).toBe(false);
    expect((await o.run(call(0))).kind).toBe('value');
  });

  it.each([
    [3, /program exited \(code 3\)/],
    [4, /program exited \(code 139: killed by SIGSEGV\)/],
    [5, /garbage output \(not a JSON line\): "this is not JSON"/],
    [6, /an answer without a string id/],
    [8, /answered case "c\d+-other", which was never sent/],
    [10, /malformed answer: .*answer.data: must be a list of numbers/],
  ])('mode %i is a failure naming what happened, then the next call answers', async (mode, why) => {
    const o = program();
    const r = await o.run(call(mode));
    expect(r.kind).toBe('failed');
    expect(error(r)).toMatch(why);
    expect((await o.run(call(0))).kind).toBe('value');
  });

  it('an answer sent twice fails the next call, then the program is fresh again', async () => {
    const o = program();
    expect((await o.run(call(7))).kind).toBe('value');
    const r = await o.run(call(0));
    expect(r.kind).toBe('failed');
    expect(error(r)).toMatch(/answered case "c0" twice \(after its last answer\)/);
    expect((await o.run(call(0))).kind).toBe('value');
  });

  it('a program that dies with calls waiting for its window: that call fails, the waiting ones go to the restarted program', async () => {
    const o = program();
    const calls = [call(0, 5), call(3), call(0, 6), call(0, 7)];
    const rs = await Promise.all(calls.map((c) => o.run(c)));
    expect(rs.map((r) => r.kind)).toEqual(['value', 'failed', 'value', 'value']);
    expect(error(rs[1]!)).toMatch(/exited \(code 3\)/);
    for (const i of [0, 2, 3]) expect(Array.from((rs[i] as { data: Float64Array }).data)).toEqual(Array.from(reference(calls[i]!).data));
  });

  it('pipelines up to the window and matches answers that come back out of order', async () => {
    const o = program({ window: '3', reverse: '1' });
    const calls = [call(0, 5), call(0, 6), call(0, 7), call(0, 8), call(0, 9), call(0, 10)];
    const rs = await Promise.all(calls.map((c) => o.run(c)));
    rs.forEach((r, i) => {
      expect(r.kind).toBe('value');
      expect(Array.from((r as { data: Float64Array }).data)).toEqual(Array.from(reference(calls[i]!).data));
    });
  });

  it.each([
    [{ hello: 'unavailable' }, /unavailable: fake: no framework here/],
    [{ hello: 'garbage' }, /the first line is not a JSON hello: "Traceback/],
    [{ hello: 'none' }, /program exited \(code 5\) before its hello line/],
  ])('a program that cannot start (%o) is unavailable, with the reason', async (options, why) => {
    const o = program(options);
    expect(await o.start()).toMatch(why);
    expect(error(await o.run(call(0)))).toMatch(why);
  });

  it('a command that does not exist is unavailable, with the shell saying so', async () => {
    const o = new IsolatedOracle('missing', { backend: { module: './process/backend.js', options: { shell: 'no-such-convcheck-program --x' } } });
    open.push(o);
    expect(await o.start()).toMatch(/program exited \(code 127\) before its hello line: .*not found/);
  });

  it('checks the hello field by field', () => {
    const hello = (o: object) => () => parseHello(JSON.stringify({ convcheck: 1, name: 'p', framework: 'onnx', ops: ['Conv'], ...o }));
    expect(hello({ window: 8, capabilities: { ranks: [2], lacks: ['groups'], maxSpatial: 64 } })()).toEqual({
      info: { name: 'p', framework: 'onnx', ops: ['Conv'], float64: false, capabilities: { ranks: [2], lacks: ['groups'], maxSpatial: 64 } },
      window: 8,
    });
    expect(hello({ float64: true })().info.float64).toBe(true);
    expect(hello({ capabilities: { lacks: ['wings'] } })).toThrow(/hello: capabilities.lacks has "wings" \(known: groups, /);
    expect(hello({ capabilities: { ranks: [4] } })).toThrow(/capabilities.ranks must list spatial ranks 1 to 3/);
    expect(hello({ capabilities: { colour: 'red' } })).toThrow(/unknown field capabilities.colour/);
    expect(hello({ ops: ['conv2d'] })).toThrow(/hello: "conv2d" is not a onnx op/);
    expect(hello({ window: 0 })).toThrow(/window must be a positive integer/);
    expect(hello({ convcheck: 2 })).toThrow(/protocol version 1/);
    expect(hello({ window: 1e9 })().window).toBe(4096);
  });

  it('argv[0] $PYTHON is $CONVCHECK_PYTHON, else the package venv, else python3', async () => {
    const saved = process.env['CONVCHECK_PYTHON'];
    try {
      process.env['CONVCHECK_PYTHON'] = '/opt/my/python';
      expect(pythonPath('/nowhere')).toBe('/opt/my/python');
      delete process.env['CONVCHECK_PYTHON'];
      expect(pythonPath('/nowhere')).toBe('python3');
      process.env['CONVCHECK_PYTHON'] = 'python3'; // inherited by the host: relative script path from the package root
      const o = new IsolatedOracle('argv', { backend: { module: './process/backend.js', options: { argv: ['$PYTHON', 'oracles/testing/fake_program.py'] } } });
      open.push(o);
      expect((await o.run(call(0))).kind).toBe('value');
    } finally {
      if (saved === undefined) delete process.env['CONVCHECK_PYTHON'];
      else process.env['CONVCHECK_PYTHON'] = saved;
    }
  });
});
