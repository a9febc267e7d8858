/**
 * `--known FILE` (repeatable) on run, validate and replay: the user's known findings, added to
 * the built-in ones. A bad file is a usage error that names it.
 */
import { KnownFileError, knownRegistry, type KnownFinding } from '../../oracles/known.js';
import { UsageError } from './run.js';

export function loadKnownOption(files: readonly string[] | undefined): readonly KnownFinding[] {
  try {
    return knownRegistry(files ?? []);
  } catch (e) {
    if (e instanceof KnownFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
