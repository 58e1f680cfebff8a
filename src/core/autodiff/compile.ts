/**
 * Compiles a tape into straight-line JavaScript for the hot paths (descent,
 * contour grids, finite differences): one statement per node forward, one per
 * edge backward.
 *
 * Safety: the generated source is assembled only from the fixed templates
 * of the op table (ops.ts), chosen by opcode, and from integer indices this function counts
 * itself. No user text reaches it — not even numbers: constants are read from
 * the array `c` at run time, never printed into the source. If the runtime
 * forbids code generation, the tape interpreter is used instead.
 */
import { OP_RULES, canGenerateCode, fillTemplate } from './ops';
import { Tape } from './tape';

export type GradientFn = (x: ArrayLike<number>, g: Float64Array) => number;
export type ValueFn = (x: ArrayLike<number>) => number;

function forwardSource(tape: Tape): string {
  const lines: string[] = [];
  const inputs = Array.from(tape.inputs);
  tape.nodes.forEach((n, i) => {
    const expr = n.op === 'input' ? `x[${inputs.indexOf(i)}]`
      : n.op === 'const' ? `c[${i}]`
        : fillTemplate(OP_RULES[n.op].js, { a: `v${n.args[0]}`, b: `v${n.args[1]}`, v: `v${i}` });
    lines.push(`const v${i} = ${expr};`);
  });
  return lines.join('\n');
}

/** `g_operand += g_node · local` as a statement, with the trivial factors ±1 folded. */
function accumulate(target: string, adjoint: string, local: string): string {
  if (local === '1') return `${target} += ${adjoint};`;
  if (local === '-1') return `${target} -= ${adjoint};`;
  return `${target} += ${adjoint} * (${local});`;
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
    const regs = { a: `v${n.args[0]}`, b: `v${n.args[1]}`, v: `v${i}` };
    // No adjoint flows into constants (as in Tape.backward).
    const body = n.args.map((arg, k) => (tape.isConstant(arg) ? '' : accumulate(`g${arg}`, `g${i}`, fillTemplate(OP_RULES[n.op].jsLocal[k], regs)))).join(' ');
    if (body.trim()) lines.push(`if (g${i} !== 0) { ${body} }`);
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
