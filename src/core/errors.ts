/**
 * Two kinds of failure, kept apart because they mean different things to a user:
 *
 * - {@link ConvError}: the call is well-formed but the framework itself would reject it
 *   (channels that don't divide by groups, an output_padding torch refuses, …). It is a
 *   *result* of the call, reported as `{"error": …}`, never a crash.
 * - {@link CaseError}: the case itself is malformed (bad JSON, unknown attribute, data length
 *   that doesn't match the shape). It names the case and the field, and makes the CLI exit 2.
 */
export class ConvError extends Error {
  override readonly name = 'ConvError';
  /** @param op the native op, e.g. `tf.conv2d_transpose`; @param arg the argument at fault. */
  constructor(
    readonly op: string,
    readonly arg: string,
    detail: string,
  ) {
    super(`${op}: ${arg} ${detail}`);
  }
}

export class CaseError extends Error {
  override readonly name = 'CaseError';
  constructor(
    readonly caseId: string,
    readonly field: string,
    detail: string,
  ) {
    super(`case ${caseId}: ${field}: ${detail}`);
  }
}

/** Formats a list for error messages the way users wrote it: `[1, 2, 3]`. */
export function show(v: unknown): string {
  return JSON.stringify(v)?.replace(/,/g, ', ') ?? String(v);
}
