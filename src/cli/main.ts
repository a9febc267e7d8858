#!/usr/bin/env node
/**
 * The convcheck command line. Exit codes: 0 done (and, for checks, all held); 1 a check found a
 * failure; 2 bad usage or malformed input.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_ORACLES, ORACLE_NAMES } from '../../oracles/registry.js';
import { evalFile } from './eval.js';
import { unreadable } from './errors.js';
import { runCommand, UsageError, type RunArgs } from './run.js';
import { replayCommand } from './replay.js';
import { validateCommand, type ValidateArgs } from './validate.js';
import { conformanceCommand, type ConformanceArgs } from '../conformance/run.js';
import { translateCommand, type TranslateArgs } from './translate.js';
import { diagnoseCommand, type DiagnoseArgs } from './diagnose.js';

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

program
  .command('run')
  .description('the main job: random cases through every oracle and property; failures shrunk, saved and printed')
  .addOption(new Option('--oracles <list>', `comma-separated: reference, ${ORACLE_NAMES.join(', ')} (the Python ones after npm run setup)`).default(DEFAULT_ORACLES.join(',')))
  .option('--properties <list>', 'comma-separated property names (default: all)')
  .option('--runs <n>', 'generated inputs per oracle × property (the time budget may stop earlier)', '200')
  .option('--seed <s>', 'run seed (default: $CONVCHECK_SEED, else the clock); always printed')
  .option('--time-budget <t>', 'total time for the search, e.g. 120s, 5m', '120s')
  .option('--shard <i/n>', 'run shard i of n: each shard searches its own part of the seed space')
  .option('--path <path>', 'replay one fast-check path (with one oracle and one property)')
  .option('--regressions <dir>', 'where failures are saved', 'regressions')
  .option('--no-regressions', 'save nothing')
  .option('--report <format>', 'also write the run as json, junit or html (with --out)')
  .option('--out <file>', 'where the report is written')
  .action(async (a: RunArgs) => {
    process.exitCode = await runCommand(a);
  });

program
  .command('replay')
  .description('re-check saved failures (no search); exit 1 if one fails outside a known finding')
  .argument('[paths...]', 'regression files or directories', ['regressions'])
  .action(async (paths: string[]) => {
    process.exitCode = await replayCommand(paths);
  });

program
  .command('validate')
  .description('check your own convolution: every property that applies to the ops your adapter declares; exit 1 on a failure')
  .requiredOption('--impl <path>', 'a module whose default export is { name, framework, ops, run(case) }')
  .option('--runs <n>', 'generated inputs per property', '200')
  .option('--seed <s>', 'seed (default: $CONVCHECK_SEED, else the clock); always printed')
  .option('--time-budget <t>', 'total time for the search', '60s')
  .option('--properties <list>', 'comma-separated property names (default: all that apply)')
  .option('--path <path>', 'replay one counterexample (with one property)')
  .option('--report <format>', 'json, junit or html (with --out)')
  .option('--out <file>', 'where the report is written')
  .action(async (a: ValidateArgs) => {
    process.exitCode = await validateCommand(a);
  });

program
  .command('conformance')
  .description('ONNX backend node tests (model.onnx + test_data_set_*): every single-node Conv/ConvTranspose test on the reference and oracles; exit 1 if the reference fails one')
  .argument('<dir>', 'a backend test dir, a dir of them (e.g. /usr/share/libonnx-testdata/data/node), or the data dir above')
  .addOption(new Option('--oracles <list>', `comma-separated: reference, ${ORACLE_NAMES.join(', ')} (the reference always runs)`).default('reference,ort'))
  .option('--json', 'print machine-readable results')
  .option('--cases <out.jsonl>', 'also write the extracted cases')
  .action(async (dir: string, a: ConformanceArgs) => {
    process.exitCode = await conformanceCommand(dir, a);
  });

const write = (stream: NodeJS.WriteStream) => (s: string) => stream.write(s + '\n');

program
  .command('translate')
  .description('the equivalent call in another framework: attributes, kernel transform, layout changes, pad/crop recipe, as Python (an ONNX node for onnx); exit 1 if not expressible')
  .argument('<case>', 'a .json file with one case, FILE#ID to pick one from a .jsonl, or - for stdin')
  .requiredOption('--to <framework>', 'tf, jax, onnx or torch')
  .option('--op <op>', "the target op (default: the target's forward or transposed op; for jax conv_general_dilated)")
  .option('--no-transpose-kernel', 'with --to jax --op conv_transpose: emit transpose_kernel=False')
  .option('--json', 'print the translated case (ready for `convcheck eval`; what to do with its output is in its note)')
  .action((file: string, a: TranslateArgs) => {
    process.exitCode = translateCommand(file, a, write(process.stdout), write(process.stderr));
  });

program
  .command('diagnose')
  .description('why two calls meant to be the same computation (or a call and an observed output) differ: the smallest set of convention mistakes, the corrected call, and the proof; exit 1 if nothing explains it')
  .argument('<a>', 'the reference call: a .json case, FILE#ID, or -')
  .argument('[b]', 'the call meant to equal A (or use --observed)')
  .option('--observed <out.json>', 'instead of B: an output computed elsewhere, {"shape": [...], "data": [...]}')
  .option('--runs <n>', 'random inputs in the proof', '20')
  .option('--seed <s>', 'seed of the random inputs (default: $CONVCHECK_SEED, else the clock); always printed')
  .option('--max-mistakes <k>', 'largest set of mistakes tried', '3')
  .option('--json', 'print the structured diagnosis')
  .action((a: string, b: string | undefined, o: DiagnoseArgs) => {
    process.exitCode = diagnoseCommand(a, b, o, write(process.stdout), write(process.stderr));
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`convcheck: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    const cannot = unreadable(e);
    if (cannot) {
      process.stderr.write(`convcheck: ${cannot}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

void main();
