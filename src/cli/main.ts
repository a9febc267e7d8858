#!/usr/bin/env node
/**
 * The convcheck command line. Exit codes: 0 done (and, for checks, all held); 1 a check found a
 * failure; 2 bad usage, malformed input or a call past --max-elements; 3 an internal error (a bug
 * in convcheck: reported without a stack trace unless CONVCHECK_DEBUG is set).
 */
import { ReplayPathError } from '../runner/search.js';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_ORACLES, ORACLE_NAMES } from '../../oracles/registry.js';
import { evalExitCode, evalSource, evalSummaryLine, stdoutSink } from './eval.js';
import { unreadable } from './errors.js';
import { escapeControls, LimitError } from '../core/errors.js';
import { DEFAULT_MAX_ELEMENTS, setMaxElements } from '../core/shapes.js';
import { WriteError } from '../case/io.js';
import { runCommand, UsageError, type RunArgs } from './run.js';
import { replayCommand } from './replay.js';
import { collect } from './known.js';
import { validateCommand, type ValidateArgs } from './validate.js';
import { conformanceCommand, type ConformanceArgs } from '../conformance/run.js';
import { translateCommand, type TranslateArgs } from './translate.js';
import { diagnoseCommand, type DiagnoseArgs } from './diagnose.js';
import { packageVersion } from './package.js';
import { setupCommand } from './setup.js';
import { mergeCommand, type MergeArgs } from './merge.js';
import { campaignCommand, isCampaign, type CampaignArgs } from './campaign.js';

const program = new Command();
program
  .name('convcheck')
  .description('Property-based differential testing of convolution and transposed convolution (TF, JAX, ONNX, PyTorch conventions)')
  .version(packageVersion(), '-V, --version', 'print the version of convcheck')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

/** `--sizes` and explicit size limits of generated cases (run, validate). */
function sizeOptions(c: Command): Command {
  return c
    .addOption(new Option('--sizes <preset>', 'size of generated cases: small (up to 7 along an axis, 9 channels), medium, large (up to 64 / 40 / 12 in 1-D / 2-D / 3-D, 36 channels)').choices(['small', 'medium', 'large']).default('small'))
    .option('--max-spatial <n>', 'explicit limit on the input extent along each spatial axis (replaces the preset)')
    .option('--max-channels <n>', 'explicit limit on input and output channels')
    .option('--max-kernel <n>', 'explicit limit on the kernel extent along each axis');
}

/** `--max-elements`: the memory guard's limit (src/core/shapes.ts), applied before the command runs. */
function maxElementsOption(): Option {
  return new Option('--max-elements <n>', 'refuse calls whose operands, intermediates or output exceed n elements each')
    .default(String(DEFAULT_MAX_ELEMENTS))
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-elements must be a positive integer, got ${JSON.stringify(v)}`);
      setMaxElements(n);
      return v;
    });
}

program
  .command('eval')
  .description('compute each case on the float64 reference; prints one JSON line per case as it is computed: {id, shape, data} or {id, error}')
  .argument('<file>', 'a .json file (one case), a .jsonl file (one case per line), or - for stdin')
  .option('--check', 'compare each case that has `expected` with it; print the difference and exit 1 on a mismatch')
  .addOption(maxElementsOption())
  .action(async (file: string, o: { check?: boolean }) => {
    const summary = await evalSource(file, (line) => process.stdout.write(line + '\n'), (line) => process.stderr.write(line + '\n'), { check: o.check === true, ...stdoutSink() });
    process.exitCode = evalExitCode(summary);
    if (process.exitCode !== 0) process.stderr.write(`convcheck eval: ${evalSummaryLine(summary)}\n`);
  });

sizeOptions(program
  .command('run'))
  .description('the main job: random cases through every oracle and property; failures shrunk, saved and printed')
  .addOption(new Option('--oracles <list>', `comma-separated: reference, ${ORACLE_NAMES.join(', ')} (default: ${DEFAULT_ORACLES.join(', ')}; the Python ones need npm run setup, the browser ones chromium)`).default(DEFAULT_ORACLES.join(',')))
  .option('--properties <list>', 'comma-separated property names (default: all)')
  .option('--runs <n>', 'generated inputs per oracle × property (the time budget may stop earlier)', '200')
  .option('--seed <s>', 'run seed (default: $CONVCHECK_SEED, else the clock); always printed')
  .option('--time-budget <t>', 'total time for the search, e.g. 120s, 5m', '120s')
  .option('--shard <i/n>', 'run shard i of n: each shard runs every n-th cell, with the seed it has in the unsharded run')
  .option('--jobs <n>', 'oracles run side by side, each in its own process (default: one per core)')
  .option('--hosts <n>', 'processes per oracle, at most two per core (default: 1; for ort, whose host is the slow side of a run, the cores per oracle running at once, at most 4)')
  .option('--timeout <t>', 'per-call timeout: an oracle call that takes longer fails and its host is restarted', '30s')
  .option('--in-flight <n>', 'checks of a cell in flight at once (default 16; more is faster, but each one that hangs costs --timeout); each oracle process runs its calls one at a time, in order')
  .option('--path <path>', 'replay one fast-check path (with one oracle and one property)')
  .option('--precision <profile>', 'judge under a precision profile (fp32, tf32, fp16, bf16, fp16-acc16), or auto: the tightest one met')
  .option('--dtype <dtype>', 'draw every case in float16 or bfloat16 (for implementations that compute them; with --precision)')
  .option('--regressions <dir>', 'where failures are saved', 'regressions')
  .option('--no-regressions', 'save nothing')
  .option('--report <formats>', 'also write the run as json, junit and/or html, comma-separated (with --out)')
  .option('--out <path>', 'the report file (one format), or a directory for several: convcheck.json, convcheck.junit.xml, convcheck.html')
  .option('--strict', 'accepting a call the convention rejects is a failure (default: counted as lenient)')
  .option('--known <file>', 'also treat the findings in this file as known (repeatable; schema/known.schema.json)', collect)
  // A long-running campaign: rounds of the suite around the same runner (src/runner/campaign.ts).
  .option('--campaign', 'keep searching after findings, round after round, until --time-budget (e.g. 8h) is spent')
  .option('--until-new <n>', 'campaign: stop after n distinct new findings')
  .option('--state <file>', 'campaign: the resumable state file (written after every round; resumed from when it exists)')
  .option('--round-budget <t>', 'campaign: each round\'s time budget', '60s')
  .action(async (a: RunArgs & CampaignArgs) => {
    process.exitCode = isCampaign(a) ? await campaignCommand(a) : await runCommand(a);
  });

program
  .command('replay')
  .description('re-check saved failures (no search); exit 1 if one fails outside a known finding, 2 if a file is not a regression')
  .argument('[paths...]', 'regression files or directories', ['regressions'])
  .addOption(maxElementsOption())
  .option('--known <file>', 'also treat the findings in this file as known (repeatable)', collect)
  .action(async (paths: string[], a: { known?: string[] }) => {
    process.exitCode = await replayCommand(paths, a);
  });

sizeOptions(program
  .command('validate'))
  .description('check your own convolution: every property that applies to the ops your adapter declares; exit 1 on a failure')
  .option('--impl <path>', 'a module whose default export is { name, framework, ops, run(case) } (or a function of the options returning one); it is imported and executed, in a child process')
  .option('--cmd <command line>', 'a program on the process protocol (docs/protocol.md), run through /bin/sh')
  .option('--browser', 'load the --impl module in headless chromium (WebGPU, WebGL; docs/browser.md) instead of Node')
  .option('--impl-option <k=v>', 'an option for the adapter (passed to its default export) or the program ($CONVCHECK_OPTIONS); repeatable', (v: string, prev: string[] = []) => [...prev, v])
  .option('--timeout <t>', 'per-call timeout: an implementation that takes longer is killed and restarted', '30s')
  .option('--strict', 'accepting a call the convention rejects is a failure (default: counted as lenient)')
  .option('--runs <n>', 'generated inputs per property', '200')
  .option('--seed <s>', 'seed (default: $CONVCHECK_SEED, else the clock); always printed')
  .option('--time-budget <t>', 'total time for the search', '60s')
  .option('--properties <list>', 'comma-separated property names (default: all that apply)')
  .option('--path <path>', 'replay one counterexample (with one property)')
  .option('--precision <profile>', 'judge under a precision profile (fp32, tf32, fp16, bf16, fp16-acc16), or auto: the tightest one met')
  .option('--dtype <dtype>', 'draw every case in float16 or bfloat16 (for implementations that compute them; with --precision)')
  .option('--report <formats>', 'json, junit and/or html, comma-separated (with --out)')
  .option('--out <path>', 'the report file (one format), or a directory for several: convcheck.json, convcheck.junit.xml, convcheck.html')
  .option('--known <file>', "findings to treat as known, e.g. your adapter's own (repeatable; schema/known.schema.json)", collect)
  .option('--in-flight <n>', 'checks in flight at once (default 16); each process running your implementation gets its calls one at a time, in order')
  .option('--hosts <n>', 'processes running your implementation, each getting calls one at a time (default 1; at most two per core)')
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

/** Terminal output: text from input (ids, names, messages) is printed with control characters escaped. */
const write = (stream: NodeJS.WriteStream) => (s: string) => stream.write(escapeControls(s) + '\n');

program
  .command('translate')
  .description('the equivalent call in another framework: attributes, kernel transform, layout changes, pad/crop recipe, as Python (an ONNX node for onnx); exit 1 if not expressible')
  .argument('<case>', 'a .json file with one case, FILE#ID to pick one from a .jsonl, or - for stdin')
  .requiredOption('--to <framework>', 'tf, jax, onnx or torch')
  .option('--op <op>', "the target op (default: the target's forward or transposed op; for jax conv_general_dilated)")
  .option('--no-transpose-kernel', 'with --to jax --op conv_transpose: emit transpose_kernel=False')
  .option('--json', 'print the translated case (ready for `convcheck eval`; what to do with its output is in its note)')
  .addOption(maxElementsOption())
  .option('--emit <what>', 'function: a Python module with convert_weights(w) and forward(x, w, b) right at every input size; layer: the target framework\'s layer with the weights loaded')
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
  .addOption(maxElementsOption())
  .action((a: string, b: string | undefined, o: DiagnoseArgs) => {
    process.exitCode = diagnoseCommand(a, b, o, write(process.stdout), write(process.stderr));
  });

program
  .command('setup')
  .description("run a set-up script shipped with convcheck for this project (e.g. tfjs-node: build TensorFlow.js's native backend against a local tensorflow wheel); without NAME, list them")
  .argument('[name]', 'the script: tools/setup-NAME.sh')
  .argument('[args...]', 'passed to the script (e.g. --force)')
  .allowUnknownOption()
  .action((name: string | undefined, args: string[]) => {
    process.exitCode = setupCommand(name, args, write(process.stdout));
  });

program
  .command('merge')
  .description('combine the JSON reports of the shards of one run (--shard i/n --report json) into one; exit 1 if it has new failures')
  .argument('<reports...>', 'the shards\' JSON reports')
  .option('--report <formats>', 'write the merged run as json, junit and/or html, comma-separated (with --out)')
  .option('--out <path>', 'the report file (one format), or a directory for several: convcheck.json, convcheck.junit.xml, convcheck.html')
  .option('--partial', 'merge even when some shards are missing (the report says which)')
  .action((paths: string[], a: MergeArgs) => {
    process.exitCode = mergeCommand(paths, a, write(process.stdout), write(process.stderr));
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
    if (cannot || e instanceof LimitError || e instanceof WriteError || e instanceof ReplayPathError) {
      process.stderr.write(`convcheck: ${escapeControls(cannot ?? (e as Error).message)}\n`);
      process.exitCode = 2;
      return;
    }
    internalError(e);
  }
}

/** A bug in convcheck: one clear line and exit 3; the stack only when CONVCHECK_DEBUG is set. */
function internalError(e: unknown): void {
  const detail = e instanceof Error ? (process.env['CONVCHECK_DEBUG'] ? (e.stack ?? e.message) : e.message) : String(e);
  process.stderr.write(`convcheck: internal error (a bug in convcheck; CONVCHECK_DEBUG=1 shows where): ${escapeControls(detail)}\n`);
  process.exitCode = 3;
}

void main();
