/**
 * Compiles a tape into straight-line JavaScript for the hot paths (descent,
 * contour grids, finite differences): one statement per node forward, one per
 * edge backward.
 *
 * Safety: the generated source is assembled only from the fixed templates
 * below, chosen by opcode, and from integer indices this function counts
 * itself. No user text reaches it — not even numbers: constants are read from
 * the array `c` at run time, never printed into the source. If the runtime
 * forbids code generation, the tape interpreter is used instead.
 */
import { OpName, Tape } from './tape';

export type GradientFn = (x: ArrayLike<number>, g: Float64Array) => number;
export type ValueFn = (x: ArrayLike<number>) => number;

/** Forward templates: `$a`, `$b` are operand registers, `$i` the node's index. */
const FORWARD: Record<OpName, string> = {
  input: '', // filled from x
  const: 'c[$i]',
  add: '$a + $b', sub: '$a - $b', mul: '$a * $b', div: '$a / $b', pow: 'Math.pow($a, $b)', neg: '-$a',
  exp: 'Math.exp($a)', log: '($a < 0 ? NaN : Math.log($a))', log10: '($a < 0 ? NaN : Math.log10($a))', log2: '($a < 0 ? NaN : Math.log2($a))',
  sqrt: 'Math.sqrt($a)', abs: 'Math.abs($a)', sin: 'Math.sin($a)', cos: 'Math.cos($a)', tan: 'Math.tan($a)',
  asin: 'Math.asin($a)', acos: 'Math.acos($a)', atan: 'Math.atan($a)', sinh: 'Math.sinh($a)', cosh: 'Math.cosh($a)', tanh: 'Math.tanh($a)',
  sigmoid: '($a >= 0 ? 1 / (1 + Math.exp(-$a)) : Math.exp($a) / (1 + Math.exp($a)))',
  relu: '($a > 0 ? $a : 0)', softplus: '($a > 30 ? $a : Math.log1p(Math.exp($a)))', square: '$a * $a',
};

/**
 * Backward templates: statements adding into the operands' adjoints `$ga`,
 * `$gb` from this node's adjoint `$g` and value `$v` — the same local
 * derivatives as Tape.backward.
 */
const BACKWARD: Record<OpName, string> = {
  input: '', const: '',
  add: '$ga += $g; $gb += $g;',
  sub: '$ga += $g; $gb -= $g;',
  mul: '$ga += $g * $b; $gb += $g * $a;',
  div: '$ga += $g / $b; $gb -= $g * $a / ($b * $b);',
  pow: '$ga += $g * ($b === 0 ? 0 : $b * Math.pow($a, $b - 1)); $POWB',
  neg: '$ga -= $g;',
  exp: '$ga += $g * $v;', log: '$ga += $g / $a;', log10: '$ga += $g / ($a * Math.LN10);', log2: '$ga += $g / ($a * Math.LN2);',
  sqrt: '$ga += $g / (2 * $v);', abs: '$ga += $g * Math.sign($a);', sin: '$ga += $g * Math.cos($a);', cos: '$ga -= $g * Math.sin($a);',
  tan: '$ga += $g / (Math.cos($a) * Math.cos($a));', asin: '$ga += $g / Math.sqrt(1 - $a * $a);', acos: '$ga -= $g / Math.sqrt(1 - $a * $a);',
  atan: '$ga += $g / (1 + $a * $a);', sinh: '$ga += $g * Math.cosh($a);', cosh: '$ga += $g * Math.sinh($a);', tanh: '$ga += $g * (1 - $v * $v);',
  sigmoid: '$ga += $g * $v * (1 - $v);', relu: '$ga += ($a > 0 ? $g : 0);', softplus: '$ga += $g / (1 + Math.exp(-$a));', square: '$ga += 2 * $g * $a;',
};

function fill(template: string, regs: Record<string, string>): string {
  return template.replace(/\$(POWB|ga|gb|g|v|a|b|i)/g, (_m, k: string) => regs[k]);
}

function forwardSource(tape: Tape): string {
  const lines: string[] = [];
  tape.nodes.forEach((n, i) => {
    const expr = n.op === 'input' ? `x[${Array.from(tape.inputs).indexOf(i)}]` : fill(FORWARD[n.op], { a: `v${n.args[0]}`, b: `v${n.args[1]}`, i: String(i) });
    lines.push(`const v${i} = ${expr};`);
  });
  return lines.join('\n');
}

let codegenWorks: boolean | undefined;
function canGenerateCode(): boolean {
  if (codegenWorks === undefined) {
    try {
      // eslint-disable-next-line no-new-func -- fixed source, no data
      codegenWorks = new Function('return 1')() === 1;
    } catch {
      codegenWorks = false;
    }
  }
  return codegenWorks;
}

function build<T>(params: string[], body: string, constants: Float64Array): T {
  // eslint-disable-next-line no-new-func -- source assembled from the templates above and integer indices only
  return new Function('c', `"use strict"; return function (${params.join(', ')}) {\n${body}\n};`)(constants) as T;
}

function constantsOf(tape: Tape): Float64Array {
  const c = new Float64Array(tape.size);
  tape.nodes.forEach((n, i) => {
    if (n.op === 'const') c[i] = tape.constantOf(i);
  });
  return c;
}

/** f(x) as straight-line code (or the tape's forward pass where code generation is unavailable). */
export function compileValue(tape: Tape): ValueFn {
  if (!canGenerateCode()) return (x) => tape.forward(x);
  return build<ValueFn>(['x'], `${forwardSource(tape)}\nreturn v${tape.output};`, constantsOf(tape));
}

/** f(x) and ∇f into g: one forward and one backward sweep as straight-line code. */
export function compileGradient(tape: Tape): GradientFn {
  if (!canGenerateCode()) return (x, g) => { const v = tape.forward(x); tape.backward(g); return v; };
  const lines = [forwardSource(tape)];
  for (let i = 0; i < tape.size; i++) lines.push(`let g${i} = 0;`);
  lines.push(`g${tape.output} = 1;`);
  for (let i = tape.size - 1; i >= 0; i--) {
    const n = tape.nodes[i];
    if (n.op === 'input' || n.op === 'const') continue;
    const [a, b] = n.args;
    const powb = n.op === 'pow' ? (tape.nodes[b].op === 'const' ? `if (v${a} > 0) g${b} += g${i} * (v${i} === 0 ? 0 : v${i} * Math.log(v${a}));` : `g${b} += g${i} * (v${i} === 0 ? 0 : v${i} * Math.log(v${a}));`) : '';
    lines.push(`if (g${i} !== 0) { ${fill(BACKWARD[n.op], { g: `g${i}`, v: `v${i}`, a: `v${a}`, b: `v${b}`, ga: `g${a}`, gb: `g${b}`, i: String(i), POWB: powb })} }`);
  }
  tape.inputs.forEach((id, k) => lines.push(`g[${k}] = g${id};`));
  lines.push(`return v${tape.output};`);
  return build<GradientFn>(['x', 'g'], lines.join('\n'), constantsOf(tape));
}

const values = new WeakMap<Tape, ValueFn>();
const gradients = new WeakMap<Tape, GradientFn>();

/** The compiled f of a tape, compiled once. */
export function valueFunction(tape: Tape): ValueFn {
  let f = values.get(tape);
  if (!f) values.set(tape, (f = compileValue(tape)));
  return f;
}

/** The compiled f and ∇f of a tape, compiled once. */
export function gradientFunction(tape: Tape): GradientFn {
  let f = gradients.get(tape);
  if (!f) gradients.set(tape, (f = compileGradient(tape)));
  return f;
}
