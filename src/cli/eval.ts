/**
 * `convcheck eval FILE|-`: computes every case on the reference, one JSON line per case.
 */
import { evaluate } from '../case/case.js';
import { outcomeJson, readCases } from '../case/io.js';

export interface EvalSummary {
  readonly evaluated: number;
  readonly malformed: number;
}

/** Writes results to `out`, malformed-case messages to `err`. */
export function evalFile(path: string, out: (line: string) => void, err: (line: string) => void): EvalSummary {
  let evaluated = 0;
  let malformed = 0;
  for (const e of readCases(path)) {
    if ('error' in e) {
      malformed++;
      err(`convcheck eval: ${e.error.message}`);
      continue;
    }
    out(JSON.stringify(outcomeJson(e.case.id, evaluate(e.case))));
    evaluated++;
  }
  return { evaluated, malformed };
}
