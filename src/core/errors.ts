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
    super(`case ${escapeControls(caseId, false)}: ${escapeControls(field, false)}: ${escapeControls(detail)}`);
  }
}

/**
 * A call convcheck refuses to compute because an operand, an intermediate (dilated or padded
 * input) or the output would exceed the element limit (`--max-elements`). Not a framework
 * rejection: the call may be valid, it is only too large to compute here.
 */
export class LimitError extends Error {
  override readonly name = 'LimitError';
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/**
 * Formats a value for error messages the way users wrote it: `[1, 2, 3]`. Bounded, because the
 * value comes from user input: nesting deeper than a few levels prints as `[…]` (so there is no
 * recursion on user-controlled depth) and long output is cut.
 */
export function show(v: unknown, maxChars = 200): string {
  return escapeControls(clip(brief(v, 4), maxChars), false);
}

function brief(v: unknown, depth: number): string {
  if (Array.isArray(v)) {
    if (depth === 0) return '[…]';
    const items = v.slice(0, 16).map((x) => brief(x, depth - 1));
    return `[${items.join(', ')}${v.length > 16 ? `, … ${v.length} items` : ''}]`;
  }
  if (typeof v === 'object' && v !== null) {
    if (depth === 0) return '{…}';
    const keys = Object.keys(v).slice(0, 16);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${brief((v as Record<string, unknown>)[k], depth - 1)}`).join(', ')}}`;
  }
  if (typeof v === 'string') return JSON.stringify(clip(v, 120));
  return String(JSON.stringify(v) ?? v);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * Makes text from input safe to print on a terminal: control characters (C0 other than newline
 * and tab, DEL and C1, which carry escape sequences, and the Unicode line separators) become visible `\x1b`-style escapes. With
 * `keepLines` false, newline and tab are escaped too (for one-line fields such as case ids).
 */
export function escapeControls(s: string, keepLines = true): string {
  return s.replace(keepLines ? /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g : /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) =>
    c.charCodeAt(0) > 0xff ? `\\u${c.charCodeAt(0).toString(16)}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
