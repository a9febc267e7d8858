/**
 * The committed WebAssembly kernel is what its source builds to: rebuilding kernel.wat with the
 * locked wabt gives the bytes in kernel-wasm.ts (npm run build:wasm regenerates them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('fast path kernel build', () => {
  it('kernel-wasm.ts is the build of kernel.wat', async () => {
    // @ts-expect-error: a plain .mjs build script without type declarations
    const { build } = (await import('../../tools/build-wasm.mjs')) as { build: () => Promise<string> };
    const committed = readFileSync(new URL('../../src/core/fast/kernel-wasm.ts', import.meta.url), 'utf8');
    expect(await build()).toBe(committed);
  });
});
