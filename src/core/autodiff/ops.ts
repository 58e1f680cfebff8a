/**
 * Every operation Gradient Lens differentiates, in one table: its forward
 * value, its local derivative with respect to each operand, and the same two
 * as JavaScript templates for the compiled evaluator. The tape interpreter,
 * the compiled code, the Backprop view's chain-rule factors and the MLP's
 * activations are all derived from this table, so a rule is written once.
 *
 * Conventions. `x` is the first operand, `y` the second (NaN for unary ops),
 * `v` the node's own value. Templates use `$a`, `$b` for the operands and
 * `$v` for the value. At a kink the one-sided conventions of ML frameworks
 * apply: abs′(0) = 0, relu′(0) = 0.
 *
 * The compiled templates must compute exactly what the functions compute
 * (a property test compares them bit for bit on random expressions).
 */

export type Local = (x: number, y: number, v: number) => number;

export interface OpRule {
  /** number of operands */
  readonly arity: 0 | 1 | 2;
  /** the forward value */
  readonly value: (x: number, y: number) => number;
  /** ∂v/∂x, and ∂v/∂y for binary ops */
  readonly local: readonly Local[];
  /** `value` as a JavaScript expression over $a, $b */
  readonly js: string;
  /** `local` as JavaScript expressions over $a, $b, $v */
  readonly jsLocal: readonly string[];
}

const LEAKY_SLOPE = 0.01;
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * The error function to about 1e-15: its Maclaurin series below 2.5, the
 * continued fraction of erfc above. Self-contained, so its source can be
 * placed before compiled templates (`__erf` in a template).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  let f = ax;
  for (let k = 80; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Source placed before compiled code whose templates call `__erf`. */
export const TEMPLATE_PRELUDE = `const __erf = ${erf.toString()};`;

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const geluInner = (x: number): number => GELU_C * (x + GELU_K * x * x * x);

/** The table. Inputs and constants are leaves: no value rule, no derivative. */
export const OP_RULES = {
  input: { arity: 0, value: () => NaN, local: [], js: '', jsLocal: [] },
  const: { arity: 0, value: () => NaN, local: [], js: '', jsLocal: [] },

  // d(x + y) = dx + dy
  add: { arity: 2, value: (x, y) => x + y, local: [() => 1, () => 1], js: '$a + $b', jsLocal: ['1', '1'] },
  // d(x − y) = dx − dy
  sub: { arity: 2, value: (x, y) => x - y, local: [() => 1, () => -1], js: '$a - $b', jsLocal: ['1', '-1'] },
  // d(x·y) = y dx + x dy
  mul: { arity: 2, value: (x, y) => x * y, local: [(_x, y) => y, (x) => x], js: '$a * $b', jsLocal: ['$b', '$a'] },
  // d(x/y) = dx/y − x dy/y²
  div: {
    arity: 2, value: (x, y) => x / y, local: [(_x, y) => 1 / y, (x, y) => -x / (y * y)],
    js: '$a / $b', jsLocal: ['1 / $b', '-$a / ($b * $b)'],
  },
  // d(x^y) = y·x^(y−1) dx + x^y·ln(x) dy   (0·anything = 0 where the factor vanishes)
  pow: {
    arity: 2, value: (x, y) => Math.pow(x, y),
    local: [(x, y) => (y === 0 ? 0 : y * Math.pow(x, y - 1)), (x, _y, v) => (v === 0 ? 0 : v * Math.log(x))],
    js: 'Math.pow($a, $b)', jsLocal: ['($b === 0 ? 0 : $b * Math.pow($a, $b - 1))', '($v === 0 ? 0 : $v * Math.log($a))'],
  },
  // d(−x) = −dx
  neg: { arity: 1, value: (x) => -x, local: [() => -1], js: '-$a', jsLocal: ['-1'] },

  // d eˣ = eˣ dx
  exp: { arity: 1, value: (x) => Math.exp(x), local: [(_x, _y, v) => v], js: 'Math.exp($a)', jsLocal: ['$v'] },
  // d ln x = dx / x   (ln of a negative number is undefined: NaN, not Math.log's NaN by accident)
  log: { arity: 1, value: (x) => (x < 0 ? NaN : Math.log(x)), local: [(x) => 1 / x], js: '($a < 0 ? NaN : Math.log($a))', jsLocal: ['1 / $a'] },
  // d log₁₀x = dx / (x ln 10)
  log10: {
    arity: 1, value: (x) => (x < 0 ? NaN : Math.log10(x)), local: [(x) => 1 / (x * Math.LN10)],
    js: '($a < 0 ? NaN : Math.log10($a))', jsLocal: ['1 / ($a * Math.LN10)'],
  },
  // d log₂x = dx / (x ln 2)
  log2: {
    arity: 1, value: (x) => (x < 0 ? NaN : Math.log2(x)), local: [(x) => 1 / (x * Math.LN2)],
    js: '($a < 0 ? NaN : Math.log2($a))', jsLocal: ['1 / ($a * Math.LN2)'],
  },
  // d √x = dx / (2√x)
  sqrt: { arity: 1, value: (x) => Math.sqrt(x), local: [(_x, _y, v) => 1 / (2 * v)], js: 'Math.sqrt($a)', jsLocal: ['1 / (2 * $v)'] },
  // d|x| = sign(x) dx
  abs: { arity: 1, value: (x) => Math.abs(x), local: [(x) => Math.sign(x)], js: 'Math.abs($a)', jsLocal: ['Math.sign($a)'] },
  // d sin x = cos x dx
  sin: { arity: 1, value: (x) => Math.sin(x), local: [(x) => Math.cos(x)], js: 'Math.sin($a)', jsLocal: ['Math.cos($a)'] },
  // d cos x = −sin x dx
  cos: { arity: 1, value: (x) => Math.cos(x), local: [(x) => -Math.sin(x)], js: 'Math.cos($a)', jsLocal: ['-Math.sin($a)'] },
  // d tan x = dx / cos²x
  tan: {
    arity: 1, value: (x) => Math.tan(x), local: [(x) => 1 / (Math.cos(x) * Math.cos(x))],
    js: 'Math.tan($a)', jsLocal: ['1 / (Math.cos($a) * Math.cos($a))'],
  },
  // d asin x = dx / √(1 − x²)
  asin: { arity: 1, value: (x) => Math.asin(x), local: [(x) => 1 / Math.sqrt(1 - x * x)], js: 'Math.asin($a)', jsLocal: ['1 / Math.sqrt(1 - $a * $a)'] },
  // d acos x = −dx / √(1 − x²)
  acos: { arity: 1, value: (x) => Math.acos(x), local: [(x) => -1 / Math.sqrt(1 - x * x)], js: 'Math.acos($a)', jsLocal: ['-1 / Math.sqrt(1 - $a * $a)'] },
  // d atan x = dx / (1 + x²)
  atan: { arity: 1, value: (x) => Math.atan(x), local: [(x) => 1 / (1 + x * x)], js: 'Math.atan($a)', jsLocal: ['1 / (1 + $a * $a)'] },
  // d sinh x = cosh x dx
  sinh: { arity: 1, value: (x) => Math.sinh(x), local: [(x) => Math.cosh(x)], js: 'Math.sinh($a)', jsLocal: ['Math.cosh($a)'] },
  // d cosh x = sinh x dx
  cosh: { arity: 1, value: (x) => Math.cosh(x), local: [(x) => Math.sinh(x)], js: 'Math.cosh($a)', jsLocal: ['Math.sinh($a)'] },
  // d tanh x = (1 − tanh²x) dx
  tanh: { arity: 1, value: (x) => Math.tanh(x), local: [(_x, _y, v) => 1 - v * v], js: 'Math.tanh($a)', jsLocal: ['(1 - $v * $v)'] },
  // d σ(x) = σ(x)(1 − σ(x)) dx, σ computed without overflow on either side
  sigmoid: {
    arity: 1, value: sigmoid, local: [(_x, _y, v) => v * (1 - v)],
    js: '($a >= 0 ? 1 / (1 + Math.exp(-$a)) : Math.exp($a) / (1 + Math.exp($a)))', jsLocal: ['$v * (1 - $v)'],
  },
  // d relu x = [x > 0] dx
  relu: { arity: 1, value: (x) => (x > 0 ? x : 0), local: [(x) => (x > 0 ? 1 : 0)], js: '($a > 0 ? $a : 0)', jsLocal: ['($a > 0 ? 1 : 0)'] },
  // d ln(1 + eˣ) = σ(x) dx   (x itself past 30, where ln(1 + eˣ) = x in doubles)
  softplus: {
    arity: 1, value: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))), local: [(x) => 1 / (1 + Math.exp(-x))],
    js: '($a > 30 ? $a : Math.log1p(Math.exp($a)))', jsLocal: ['1 / (1 + Math.exp(-$a))'],
  },
  // d x² = 2x dx
  square: { arity: 1, value: (x) => x * x, local: [(x) => 2 * x], js: '$a * $a', jsLocal: ['2 * $a'] },

  // Activations of networks (not in the expression vocabulary):
  // d x = dx
  linear: { arity: 1, value: (x) => x, local: [() => 1], js: '$a', jsLocal: ['1'] },
  // d leaky(x) = (x > 0 ? 1 : 0.01) dx   (PyTorch's default slope)
  leaky_relu: {
    arity: 1, value: (x) => (x > 0 ? x : LEAKY_SLOPE * x), local: [(x) => (x > 0 ? 1 : LEAKY_SLOPE)],
    js: `($a > 0 ? $a : ${LEAKY_SLOPE} * $a)`, jsLocal: [`($a > 0 ? 1 : ${LEAKY_SLOPE})`],
  },
  // d elu(x) = (x > 0 ? 1 : eˣ) dx, and eˣ = elu(x) + 1 for x ≤ 0
  elu: {
    arity: 1, value: (x) => (x > 0 ? x : Math.expm1(x)), local: [(x, _y, v) => (x > 0 ? 1 : v + 1)],
    js: '($a > 0 ? $a : Math.expm1($a))', jsLocal: ['($a > 0 ? 1 : $v + 1)'],
  },
  // gelu(x) = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³) (the tanh form)
  // d gelu = [½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)] dx
  gelu: {
    arity: 1,
    value: (x) => 0.5 * x * (1 + Math.tanh(geluInner(x))),
    local: [(x) => {
      const t = Math.tanh(geluInner(x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
    }],
    js: `(0.5 * $a * (1 + Math.tanh(${GELU_C} * ($a + ${GELU_K} * $a * $a * $a))))`,
    jsLocal: [`((t) => 0.5 * (1 + t) + 0.5 * $a * (1 - t * t) * ${GELU_C} * (1 + ${3 * GELU_K} * $a * $a))(Math.tanh(${GELU_C} * ($a + ${GELU_K} * $a * $a * $a)))`],
  },
  // gelu(x) = ½x(1 + erf(x/√2)), the exact form (PyTorch's nn.GELU() and Keras' gelu default)
  // d gelu = [½(1 + erf(x/√2)) + x·φ(x)] dx, φ the standard normal density
  gelu_erf: {
    arity: 1,
    value: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    local: [(x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI)],
    js: '(0.5 * $a * (1 + __erf($a / Math.SQRT2)))',
    jsLocal: ['(0.5 * (1 + __erf($a / Math.SQRT2)) + ($a * Math.exp(-0.5 * $a * $a)) / Math.sqrt(2 * Math.PI))'],
  },
} as const satisfies Record<string, OpRule>;

export type OpName = keyof typeof OP_RULES;
export const OP_NAMES = Object.keys(OP_RULES) as OpName[];

/** The rule of `op`. */
export function ruleOf(op: OpName): OpRule {
  return OP_RULES[op];
}

/** Fills a template of the table: `$a`, `$b` the operands, `$v` the node's value (registers or expressions). */
export function fillTemplate(template: string, regs: { a: string; b: string; v: string }): string {
  return template.replace(/\$([abv])/g, (_m, k: 'a' | 'b' | 'v') => regs[k]);
}

let codegen: boolean | undefined;
/** Whether this runtime allows code generation (a webview or a CSP can forbid it). */
export function canGenerateCode(): boolean {
  if (codegen === undefined) {
    try {
      // eslint-disable-next-line no-new-func -- fixed source, no data
      codegen = new Function('return 1')() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}
