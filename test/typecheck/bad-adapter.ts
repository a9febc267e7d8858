// Must NOT type-check: an adapter whose framework is a plain string (what an untyped object
// literal gives) is refused where convcheck takes an Adapter. test/typecheck.test.ts expects
// tsc to report TS2345 on the marked line, so the Adapter type really is checked.
import { expectValid } from 'convcheck';

const framework: string = 'onnx';
const adapter = { name: 'loose', framework, ops: ['Conv'], run: () => ({ shape: [1], data: [0] }) };
await expectValid(adapter); // TS2345 here
