/**
 * schema/protocol.schema.json describes the lines that really travel: the example program's hello
 * and answers, and the case lines the client writes, validate; malformed lines do not.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/case/case.js';
import { toCaseJson } from '../../src/validate/adapter.js';

const ajv = new Ajv2020.default({ strict: false });
ajv.addSchema(JSON.parse(readFileSync('schema/case.schema.json', 'utf8')), 'case.schema.json');
ajv.addSchema(JSON.parse(readFileSync('schema/protocol.schema.json', 'utf8')), 'protocol');
const check = (def: string, v: unknown) => ajv.validate(`protocol#/$defs/${def}`, v);
const line = (v: unknown) => ajv.validate('protocol', v);

const CASE = { framework: 'onnx' as const, op: 'Conv', attrs: { strides: [2], auto_pad: 'SAME_UPPER' }, inputs: { X: { shape: [1, 1, 4], data: [1, 2, 3, 4] }, W: { shape: [1, 1, 3], data: [1, 10, 100] } } };

describe('protocol schema', () => {
  it('accepts what the example program prints', () => {
    const input = [JSON.stringify({ id: 'a', ...CASE }), JSON.stringify({ id: 'b', ...CASE, op: 'ConvTranspose' }), JSON.stringify({ id: 'c', ...CASE, attrs: { strides: [0] } })].join('\n');
    const out = execFileSync('python3', ['examples/onnx_conv.py'], { input, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(out).toHaveLength(4);
    expect(check('hello', out[0])).toBe(true);
    for (const a of out.slice(1)) expect(check('answer', a), JSON.stringify(a)).toBe(true);
    for (const l of out) expect(line(l)).toBe(true);
  });

  it('accepts the case lines the client writes', () => {
    const c = { id: 'c0', ...toCaseJson({ ...parseCase(CASE, 't'), dtype: 'float32' }) };
    expect(check('case', c), JSON.stringify(ajv.errors)).toBe(true);
    const { id: _, ...noId } = c;
    expect(check('case', noId)).toBe(false);
  });

  it('rejects malformed lines', () => {
    expect(check('hello', { convcheck: 2, name: 'x', framework: 'onnx', ops: ['Conv'] })).toBe(false);
    expect(check('hello', { convcheck: 1, name: 'x', framework: 'mxnet', ops: ['Conv'] })).toBe(false);
    expect(check('hello', { convcheck: 1, name: 'x', framework: 'onnx', ops: ['Conv'], capabilities: { lacks: ['wings'] } })).toBe(false);
    expect(check('hello', { convcheck: 1, name: 'x', framework: 'onnx', ops: ['Conv'], window: 0 })).toBe(false);
    expect(check('unavailable', { convcheck: 1, unavailable: 'no torch' })).toBe(true);
    expect(check('answer', { id: 'a', shape: [2], data: [1, 'nan'] })).toBe(false);
    expect(check('answer', { id: 'a', error: 'x', shape: [1], data: [1] })).toBe(false);
    expect(check('answer', { shape: [1], data: [1] })).toBe(false);
    expect(check('answer', { id: 'a', unsupported: 'groups' })).toBe(true);
  });
});
