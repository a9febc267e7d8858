/**
 * Hostile input never crashes `convcheck eval` (issue 8, item 7). 12,000 generated lines
 * (test/hostile/generate.ts) go through the real CLI in four processes, with good cases
 * interleaved: no stack trace, no internal error, every good case answered exactly as the
 * reference answers it in process, and each process within the limits (10 s of CPU,
 * 2 GB of peak RSS, measured by /usr/bin/time -v).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../src/case/case.js';
import { outcomeJson } from '../src/case/io.js';
import { ensureBuilt, MAIN, ROOT } from './built-cli.js';
import { hostileLines } from './hostile/generate.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261129);
const BATCHES = 4;
const PER_BATCH = 3000;
const STACK = /\n\s+at .+:\d+:\d+/;

beforeAll(ensureBuilt, 120_000);

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  cpuSeconds: number;
  wallSeconds: number;
  maxRssKb: number;
}

/** Runs eval on a file under /usr/bin/time -v (when present) and reads its peak RSS and CPU time. */
function measuredEval(file: string): Measured {
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, MAIN, 'eval', file], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, [MAIN, 'eval', file], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 30 });
  const wallSeconds = (performance.now() - t0) / 1000;
  const field = (name: string) => Number(r.stderr.match(new RegExp(`${name}: ([\\d.]+)`))?.[1] ?? NaN);
  const stderr = timed ? r.stderr.replace(/(Command exited with non-zero status \d+\n)?\tCommand being timed[\s\S]*$/, '') : r.stderr;
  return {
    status: r.status,
    stdout: r.stdout,
    stderr,
    cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    wallSeconds,
    maxRssKb: field('Maximum resident set size \\(kbytes\\)'),
  };
}

describe('hostile eval input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convcheck-hostile-'));
  const batches = Array.from({ length: BATCHES }, (_, b) => hostileLines(PER_BATCH, seed + b));

  it.each(batches.map((lines, b) => [b, lines] as const))('batch %i: no crash, every good line answered, within 10 s CPU and 2 GB', (b, lines) => {
    const file = join(dir, `batch-${b}.jsonl`);
    writeFileSync(file, lines.map((l) => l.text).join('\n') + '\n');
    const m = measuredEval(file);
    const outLines = m.stdout.split('\n').filter(Boolean);
    const summary = m.stderr.trimEnd().split('\n').pop();
    console.log(`hostile batch ${b} (${file}): ${lines.length} lines, ${outLines.length} answers (${outLines.filter((l) => l.includes('"error"')).length} rejections); ${summary}; exit ${m.status}, cpu ${m.cpuSeconds.toFixed(2)} s, wall ${m.wallSeconds.toFixed(2)} s, peak RSS ${(m.maxRssKb / 1024).toFixed(0)} MB`);

    expect(m.stderr).not.toMatch(STACK);
    expect(m.stderr).not.toMatch(/internal error|Maximum call stack|allocation failed|Invalid typed array/);
    expect(m.status).toBe(2); // malformed and refused lines, reported; never a crash
    const answers = new Map<string, string>();
    for (const line of outLines) {
      const o = JSON.parse(line) as { id: string; error?: string };
      expect(o.error ?? '').not.toMatch(/^internal/);
      answers.set(o.id, line);
    }
    const good = lines.filter((l) => l.goodId !== undefined);
    expect(good.length).toBeGreaterThan(PER_BATCH / 20);
    for (const g of good) {
      const c = parseCase(JSON.parse(g.text), 'good');
      expect(answers.get(g.goodId!), `good case ${g.goodId} lost`).toBe(JSON.stringify(outcomeJson(c.id, evaluate(c))));
    }
    expect(m.cpuSeconds).toBeLessThan(10);
    expect(m.maxRssKb).toBeLessThan(2 * 1024 * 1024);
  }, 300_000);
});
