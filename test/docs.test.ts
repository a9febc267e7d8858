/**
 * The docs cannot drift from what convcheck does. Every case in README.md and docs/*.md goes
 * through `convcheck eval --check`:
 * - json/jsonl code blocks that are cases (their `expected`, where they have one, must hold);
 * - every `… | npx convcheck eval -` example: its cases are run as written and must print exactly
 *   the output block that follows it; that output also becomes their `expected` for --check.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, ROOT } from './built-cli.js';

beforeAll(ensureBuilt, 120_000);

interface Block {
  readonly lang: string;
  readonly text: string;
  readonly line: number;
}

function blocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    out.push({ lang: open[1]!, text: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return out;
}

const isCase = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && 'framework' in v && 'op' in v && 'inputs' in v;

function jsonValues(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  }
}

const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Example {
  readonly where: string;
  readonly input: string[];
  readonly printed: string[];
}

/** The cases of every json block, and every eval example with the output printed after it. */
function collect(): { cases: Array<{ where: string; c: Record<string, unknown> }>; examples: Example[] } {
  const cases: Array<{ where: string; c: Record<string, unknown> }> = [];
  const examples: Example[] = [];
  for (const file of FILES) {
    const bs = blocks(readFileSync(join(ROOT, file), 'utf8'));
    bs.forEach((b, k) => {
      const where = `${file}:${b.line}`;
      if (b.lang === 'json' || b.lang === 'jsonl') {
        for (const v of jsonValues(b.text)) if (isCase(v)) cases.push({ where, c: v });
      }
      if (b.lang === 'sh' && /\|\s*npx convcheck eval -\s*$/.test(b.text)) {
        const input = [...b.text.matchAll(/'(\{.*?\})'/g)].map((m) => m[1]!);
        const next = bs[k + 1];
        expect(next?.lang, `${where}: an eval example must be followed by its printed output`).toBe('');
        examples.push({ where, input, printed: next!.text.split('\n').filter((l) => l.trim()) });
      }
    });
  }
  return { cases, examples };
}

describe('every case in the docs', () => {
  const { cases, examples } = collect();

  it('finds the docs’ cases and eval examples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e) => [e.where, e] as const))('%s: eval prints what the docs print', (_, e) => {
    const r = cli(['eval', '-'], e.input.join('\n') + '\n');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(e.printed);
  });

  it('eval --check: every case with an expected (json blocks, and each example with its printed output) holds', () => {
    const withExpected = examples.flatMap((e) =>
      e.input.map((text, i) => {
        const printed = JSON.parse(e.printed[i]!) as Record<string, unknown>;
        const expected = 'error' in printed ? { error: printed['error'] } : { shape: printed['shape'], data: printed['data'] };
        return { ...(JSON.parse(text) as object), id: `${e.where} #${i}`, expected };
      }),
    );
    const all = [...cases.map(({ where, c }, i) => ({ ...c, id: `${where} ${String(c['id'] ?? i)}` })), ...withExpected];
    const file = join(mkdtempSync(join(tmpdir(), 'convcheck-docs-')), 'docs.jsonl');
    writeFileSync(file, all.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const r = cli(['eval', '--check', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(all.length);
  });
});

describe('eval --check', () => {
  const c = (expected: object) =>
    JSON.stringify({ id: 'k', framework: 'torch', op: 'conv1d', inputs: { input: { shape: [1, 1, 3], data: [1, 2, 3] }, weight: { shape: [1, 1, 2], data: [1, 1] } }, expected });

  it('passes a matching expected, and one within float32 rounding', () => {
    expect(cli(['eval', '--check', '-'], c({ shape: [1, 1, 2], data: [3, 5] })).status).toBe(0);
    expect(cli(['eval', '--check', '-'], c({ shape: [1, 1, 2], data: [3.00001, 5] })).status).toBe(0);
  });

  it('a mismatch exits 1 and prints where', () => {
    const r = cli(['eval', '--check', '-'], c({ shape: [1, 1, 2], data: [3, 6] }));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('{"id":"k","shape":[1,1,2],"data":[3,5]}\n');
    expect(r.stderr).toContain('case k does not give its expected');
    expect(r.stderr).toContain('at [0, 0, 1] (flat 1): got 5, expected 6');
  });

  it('a wrong shape, and an expected error the reference does not raise, are mismatches', () => {
    expect(cli(['eval', '--check', '-'], c({ shape: [1, 2], data: [3, 5] })).stderr).toMatch(/expected shape \[1, 2\] \[3, 5\]\n {2}got shape {6}\[1, 1, 2\] \[3, 5\]/);
    expect(cli(['eval', '--check', '-'], c({ error: 'torch refuses' })).stderr).toMatch(/expected an error \(torch refuses\), got shape \[1, 1, 2\]/);
  });

  it('without --check, expected is not compared', () => {
    expect(cli(['eval', '-'], c({ shape: [1, 1, 2], data: [3, 6] })).status).toBe(0);
  });
});
