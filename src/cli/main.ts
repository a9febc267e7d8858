#!/usr/bin/env node
/**
 * The convcheck command line. Exit codes: 0 done (and, for checks, all held); 1 a check found a
 * failure; 2 bad usage or malformed input.
 */
import { Command, CommanderError } from 'commander';
import { evalFile } from './eval.js';

const program = new Command();
program
  .name('convcheck')
  .description('Property-based differential testing of convolution and transposed convolution (TF, JAX, ONNX, PyTorch conventions)')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('eval')
  .description('compute each case on the float64 reference; prints one JSON line per case: {id, shape, data} or {id, error}')
  .argument('<file>', 'a .json file (one case), a .jsonl file (one case per line), or - for stdin')
  .action((file: string) => {
    const chunks: string[] = [];
    const summary = evalFile(
      file,
      (line) => {
        chunks.push(line);
        if (chunks.length >= 1000) process.stdout.write(chunks.splice(0).join('\n') + '\n');
      },
      (line) => process.stderr.write(line + '\n'),
    );
    if (chunks.length) process.stdout.write(chunks.join('\n') + '\n');
    if (summary.malformed > 0) {
      process.stderr.write(`convcheck eval: ${summary.malformed} malformed case(s), ${summary.evaluated} evaluated\n`);
      process.exitCode = 2;
    }
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      process.stderr.write(`convcheck: cannot read ${err.path ?? 'input'}: ${err.code}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

void main();
