/**
 * The expression language of known-finding regions (docs/known-findings.md): arithmetic and
 * comparisons over the quantities convcheck derives from a case, e.g. `(out - 1) * s + effK - in < 0`.
 * Small on purpose: numbers, strings, names, + - * /, comparisons, && || !, parentheses and the
 * functions ceil, floor, trunc, min, max, abs. A quantity that is not defined for a case is NaN,
 * and comparisons follow IEEE: with NaN, all are false except !=.
 */

export type Value = number | string | boolean;
export type Env = Readonly<Record<string, Value>>;
export type Compiled = (env: Env) => Value;

const FUNCS: Readonly<Record<string, (...a: number[]) => number>> = {
  ceil: Math.ceil,
  floor: Math.floor,
  trunc: Math.trunc,
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
};

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("[^"]*")|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|&&|\|\||[-+*/()<>!,]))/y;

type Tok = { kind: 'num' | 'str' | 'name' | 'op'; text: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`unexpected ${JSON.stringify(src.slice(at).trim().slice(0, 12))} at column ${at + 1}`);
    out.push(m[1] ? { kind: 'num', text: m[1] } : m[2] ? { kind: 'str', text: m[2].slice(1, -1) } : m[3] ? { kind: 'name', text: m[3] } : { kind: 'op', text: m[4]! });
    at = TOKEN.lastIndex;
  }
  return out;
}

const num = (v: Value): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : NaN);
const truthy = (v: Value): boolean => (typeof v === 'number' ? v !== 0 && !Number.isNaN(v) : Boolean(v));

/** Compiles an expression; `names` are the quantities it may use (an unknown name is an error). */
export function compile(src: string, names: ReadonlySet<string>): Compiled {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const take = (text?: string): Tok => {
    const t = toks[i];
    if (!t || (text !== undefined && t.text !== text)) throw new Error(`expected ${text ?? 'more'} ${t ? `at ${JSON.stringify(t.text)}` : 'at the end'}`);
    i++;
    return t;
  };
  const binary = (next: () => Compiled, ops: readonly string[], apply: (op: string, a: Compiled, b: Compiled) => Compiled) => (): Compiled => {
    let left = next();
    while (peek()?.kind === 'op' && ops.includes(peek()!.text)) {
      const op = take().text;
      left = apply(op, left, next());
    }
    return left;
  };
  const atom = (): Compiled => {
    const t = take();
    if (t.kind === 'num') {
      const v = Number(t.text);
      return () => v;
    }
    if (t.kind === 'str') return () => t.text;
    if (t.kind === 'name') {
      if (peek()?.text === '(') {
        const f = FUNCS[t.text];
        if (!f) throw new Error(`unknown function ${t.text} (known: ${Object.keys(FUNCS).join(', ')})`);
        take('(');
        const args: Compiled[] = [or()];
        while (peek()?.text === ',') {
          take(',');
          args.push(or());
        }
        take(')');
        return (env) => f(...args.map((a) => num(a(env))));
      }
      if (!names.has(t.text)) throw new Error(`unknown quantity ${t.text} (known: ${[...names].join(', ')})`);
      return (env) => env[t.text] ?? NaN;
    }
    if (t.text === '(') {
      const e = or();
      take(')');
      return e;
    }
    if (t.text === '-') {
      const e = atom();
      return (env) => -num(e(env));
    }
    if (t.text === '!') {
      const e = atom();
      return (env) => !truthy(e(env));
    }
    throw new Error(`unexpected ${JSON.stringify(t.text)}`);
  };
  const product = binary(atom, ['*', '/'], (op, a, b) => (op === '*' ? (e) => num(a(e)) * num(b(e)) : (e) => num(a(e)) / num(b(e))));
  const sum = binary(product, ['+', '-'], (op, a, b) => (op === '+' ? (e) => num(a(e)) + num(b(e)) : (e) => num(a(e)) - num(b(e))));
  const compare = binary(sum, ['<', '<=', '>', '>=', '==', '!='], (op, a, b) => (e) => {
    const x = a(e);
    const y = b(e);
    if (typeof x === 'string' || typeof y === 'string') return op === '==' ? x === y : op === '!=' ? x !== y : false;
    const [p, q] = [num(x), num(y)];
    // IEEE: NaN (an undefined quantity, or 0/0) makes every comparison false except !=.
    return op === '<' ? p < q : op === '<=' ? p <= q : op === '>' ? p > q : op === '>=' ? p >= q : op === '==' ? p === q : p !== q;
  });
  const and = binary(compare, ['&&'], (_, a, b) => (e) => truthy(a(e)) && truthy(b(e)));
  const or = binary(and, ['||'], (_, a, b) => (e) => truthy(a(e)) || truthy(b(e)));
  const e = or();
  if (i < toks.length) throw new Error(`unexpected ${JSON.stringify(toks[i]!.text)} after a complete expression`);
  return (env) => truthy(e(env));
}
