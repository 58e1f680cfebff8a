/**
 * The expression tree every front end (math notation, LaTeX, Python, JS/TS)
 * produces. Only these node kinds exist, so everything downstream — symbolic
 * differentiation, the compiled evaluator, the autodiff tape — works on a
 * closed, validated vocabulary and never on the user's raw text.
 *
 * `start`/`end` are offsets into the source document (for located messages
 * and for selecting the source range of a graph node).
 */

/** Elementary functions of one argument that Gradient Lens can differentiate. */
export const UNARY_FUNCTIONS = [
  'exp', 'log', 'log10', 'log2', 'sqrt', 'abs',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'softplus', 'square',
] as const;
export type UnaryFunction = (typeof UNARY_FUNCTIONS)[number];

export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

interface Located {
  start: number;
  end: number;
}

export type Expr =
  | (Located & { kind: 'num'; value: number; /** e.g. "pi" for a named constant */ name?: string })
  | (Located & { kind: 'param'; name: string })
  /**
   * A named intermediate from the code (`z = 3*w + b`); `expr` is shared by every use. An element
   * of a named array (`p = softmax(z)`) has its position in its row as `element` (p[1] is element 1).
   */
  | (Located & { kind: 'local'; name: string; expr: Expr; element?: number })
  | (Located & { kind: 'neg'; arg: Expr })
  | (Located & { kind: 'bin'; op: BinaryOperator; left: Expr; right: Expr })
  | (Located & { kind: 'call'; fn: UnaryFunction; arg: Expr });

export function isUnaryFunction(name: string): name is UnaryFunction {
  return (UNARY_FUNCTIONS as readonly string[]).includes(name);
}

/** Number of nodes with shared locals counted once. */
export function countNodes(root: Expr, limit = Infinity): number {
  let n = 0;
  walkNodes(root, () => ++n >= limit);
  return n;
}

/**
 * Visits every node once (shared subtrees once), without recursion — a cost
 * over many samples is a sum thousands of nodes deep. Stops when `visit`
 * returns true.
 */
export function walkNodes(root: Expr, visit: (e: Expr) => boolean | void): void {
  const seen = new Set<Expr>();
  const stack = [root];
  while (stack.length) {
    const e = stack.pop() as Expr;
    if (seen.has(e)) continue;
    seen.add(e);
    if (visit(e) === true) return;
    stack.push(...operands(e));
  }
}

/**
 * A value per node computed bottom-up from its operands' values, once per
 * shared node, without recursion (a sum over many samples is deep).
 */
export function foldUp<T>(root: Expr, combine: (e: Expr, operands: T[]) => T): Map<Expr, T> {
  const out = new Map<Expr, T>();
  const stack: Array<[Expr, boolean]> = [[root, false]];
  while (stack.length) {
    const [e, done] = stack.pop() as [Expr, boolean];
    if (out.has(e)) continue;
    const kids = operands(e);
    if (!done) {
      stack.push([e, true]);
      for (const k of kids) if (!out.has(k)) stack.push([k, false]);
      continue;
    }
    out.set(e, combine(e, kids.map((k) => out.get(k) as T)));
  }
  return out;
}

/** A node's operands (a local's expression, a call's argument, both sides of a binary operation). */
export function operands(e: Expr): Expr[] {
  switch (e.kind) {
    case 'local': return [e.expr];
    case 'neg': case 'call': return [e.arg];
    case 'bin': return [e.left, e.right];
    default: return [];
  }
}

/**
 * The expression rebuilt bottom-up, each node passed to `rule` with its operands already rewritten (a number
 * or a parameter as it is). Shared nodes stay shared.
 */
export function rewrite(root: Expr, rule: (e: Expr) => Expr): Expr {
  const out = foldUp<Expr>(root, (e, ops) => {
    switch (e.kind) {
      case 'local': return rule({ ...e, expr: ops[0] });
      case 'neg': return rule({ ...e, arg: ops[0] });
      case 'call': return rule({ ...e, arg: ops[0] });
      case 'bin': return rule({ ...e, left: ops[0], right: ops[1] });
      default: return rule(e);
    }
  });
  return out.get(root) as Expr;
}

/**
 * The expression with parameters replaced (a call of a function defined in the
 * document: its parameters by the call's arguments). Shared nodes stay shared.
 */
export function substituteParams(root: Expr, values: ReadonlyMap<string, Expr>): Expr {
  return rewrite(root, (e) => (e.kind === 'param' ? values.get(e.name) ?? e : e));
}

/** The parameters an expression depends on. */
export function paramsOf(root: Expr): Set<string> {
  const out = new Set<string>();
  walkNodes(root, (e) => { if (e.kind === 'param') out.add(e.name); });
  return out;
}

const PRECEDENCE: Record<BinaryOperator, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 };

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(v);
}

/**
 * The expression in plain math syntax (`^` for powers, locals substituted),
 * readable by people and by mathjs' parser. Parenthesised only where needed.
 */
export function toMathString(e: Expr): string {
  return fmt(e, 0);
}

function fmt(e: Expr, parent: number, rightOfPow = false): string {
  switch (e.kind) {
    case 'num':
      if (e.name) return e.name;
      return e.value < 0 ? wrap(formatNumber(e.value), parent >= 1) : formatNumber(e.value);
    case 'param':
      return e.name;
    case 'local':
      return fmt(e.expr, parent, rightOfPow);
    case 'neg':
      return wrap(`-${fmt(e.arg, 3)}`, parent >= 2 && !rightOfPow);
    case 'call':
      return `${e.fn}(${fmt(e.arg, 0)})`;
    case 'bin': {
      const p = PRECEDENCE[e.op];
      if (e.op === '+' || e.op === '-') {
        // a long sum (a cost over many samples) is a deep left spine: walk it with a loop, not recursion
        const rights: Array<{ op: '+' | '-'; e: Expr }> = [];
        let cur: Expr = e;
        for (;;) {
          const c: Expr = cur.kind === 'local' ? cur.expr : cur;
          if (c.kind === 'bin' && (c.op === '+' || c.op === '-')) {
            rights.push({ op: c.op, e: c.right });
            cur = c.left;
          } else break;
        }
        let out = fmt(cur, p);
        for (let k = rights.length - 1; k >= 0; k--) out += ` ${rights[k].op} ${fmt(rights[k].e, rights[k].op === '-' ? p + 0.5 : p)}`;
        return wrap(out, parent > p);
      }
      if (e.op === '^') {
        const s = `${fmt(e.left, 5)} ^ ${fmt(e.right, 4, true)}`;
        return wrap(s, parent > p);
      }
      const left = fmt(e.left, p);
      // Right operand of - and / needs parentheses at equal precedence.
      const right = fmt(e.right, e.op === '/' ? p + 0.5 : p);
      return wrap(`${left} ${e.op} ${right}`, parent > p);
    }
  }
}

function wrap(s: string, yes: boolean): string {
  return yes ? `(${s})` : s;
}
