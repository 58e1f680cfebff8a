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
import type { Expr } from '../expr/ast';
import { SampleSum, SumTape, Tape } from './tape';

export type GradientFn = (x: ArrayLike<number>, g: Float64Array) => number;
export type ValueFn = (x: ArrayLike<number>) => number;

function forwardSource(tape: Tape, input: (k: number) => string = (k) => `x[${k}]`): string {
  const lines: string[] = [];
  const inputs = Array.from(tape.inputs);
  tape.nodes.forEach((n, i) => {
    const expr = n.op === 'input' ? input(inputs.indexOf(i))
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
  if (!canGenerateCode() || tape.size > COMPILE_NODE_LIMIT) return (x) => tape.forward(x);
  return build<ValueFn>(['x'], `${forwardSource(tape)}\nreturn v${tape.output};`, constantsOf(tape));
}

/** f(x) and ∇f into g: one forward and one backward sweep as straight-line code. */
/**
 * Above this many nodes the tape is not compiled: a straight-line function
 * with one local per node would overflow the engine's stack frame (a cost
 * over 10,000 samples has about 60,000); the tape interpreter runs it.
 */
export const COMPILE_NODE_LIMIT = 8_000;

/**
 * The backward sweep as statements: adjoints g0 … gN start at 0 (the output's
 * at 1) and flow from each node to its operands through the table's local
 * derivatives (`local` may give a node's own, e.g. 2·x for a square).
 */
function backwardLines(tape: Tape, local?: (node: number, operand: number) => string | undefined, params = tape.inputs.length): string[] {
  // Only nodes that depend on a parameter carry an adjoint: not constants (as in Tape.backward),
  // nor a cost's data columns (inputs past the parameters) and what is computed from them alone.
  const live = new Uint8Array(tape.size);
  const inputs = Array.from(tape.inputs);
  inputs.forEach((id, k) => { if (k < params) live[id] = 1; });
  tape.nodes.forEach((n, i) => { if (n.op !== 'input' && n.op !== 'const' && n.args.some((a) => live[a])) live[i] = 1; });
  const lines: string[] = [];
  for (let i = 0; i < tape.size; i++) if (live[i]) lines.push(`let g${i} = 0;`);
  if (live[tape.output]) lines.push(`g${tape.output} = 1;`);
  for (let i = tape.size - 1; i >= 0; i--) {
    const n = tape.nodes[i];
    if (n.op === 'input' || n.op === 'const' || !live[i]) continue;
    const regs = { a: `v${n.args[0]}`, b: `v${n.args[1]}`, v: `v${i}` };
    const body = n.args.map((arg, k) => (!live[arg] ? '' : accumulate(`g${arg}`, `g${i}`, local?.(i, k) ?? fillTemplate(OP_RULES[n.op].jsLocal[k], regs)))).join(' ');
    // A zero adjoint is skipped (as Tape.backward does) so that 0 · ∞ never makes a NaN; where
    // every local derivative is ±1 or an operand (sums, differences, products), 0 · local is 0
    // for any finite operand and the branch only costs time (40% of a cost over data's loop).
    if (body.trim()) lines.push(UNGUARDED.has(n.op) ? body : `if (g${i} !== 0) { ${body} }`);
  }
  return lines;
}

/** Ops whose local derivatives are ±1 or an operand: see backwardLines. */
const UNGUARDED = new Set(['add', 'sub', 'neg', 'linear', 'mul', 'square']);

export function compileGradient(tape: Tape): GradientFn {
  if (!canGenerateCode() || tape.size > COMPILE_NODE_LIMIT) return (x, g) => { const v = tape.forward(x); tape.backward(g); return v; };
  const lines = [forwardSource(tape), ...backwardLines(tape)];
  tape.inputs.forEach((id, k) => lines.push(`g[${k}] = g${id};`));
  lines.push(`return v${tape.output};`);
  return build<GradientFn>(['x', 'g'], lines.join('\n'), constantsOf(tape));
}

const values = new WeakMap<Tape, ValueFn>();
const gradients = new WeakMap<Tape, GradientFn>();

/** A cost over data written as c · Σᵢ term(θ, dataᵢ) (a SumTape's SampleSum): its compiled value and gradient loop the compiled term over Float64Array columns instead of unrolling it. */
const sumOf = (tape: Tape): SampleSum | undefined => (tape instanceof SumTape ? tape.sum : undefined);

/** The term's forward sweep for sample i: parameters from locals x0 …, data from columns d0 …; a square is a product (x·x is exact, as Math.pow(x, 2) is, and the loop runs it m times). */
function termForward(term: Tape, P: number): { source: string; square: (i: number) => boolean } {
  const square = (i: number): boolean => term.nodes[i].op === 'pow' && term.isConstant(term.nodes[i].args[1]) && term.constantOf(term.nodes[i].args[1]) === 2;
  const source = forwardSource(term, (k) => (k < P ? `x${k}` : `d${k - P}[i]`)).split('\n').map((line, i) => (square(i) ? `const v${i} = v${term.nodes[i].args[0]} * v${term.nodes[i].args[0]};` : line)).join('\n');
  return { source, square };
}

function loopHead(P: number, columns: number, adjoints: boolean): string[] {
  const lines: string[] = [];
  for (let p = 0; p < P; p++) lines.push(`const x${p} = x[${p}];${adjoints ? ` let G${p} = 0;` : ''}`);
  for (let k = 0; k < columns; k++) lines.push(`const d${k} = cols[${k}];`);
  lines.push('let s = 0;', 'for (let i = 0; i < n; i++) {');
  return lines;
}

/**
 * The term's forward and backward sweep inside one loop over the samples
 * (the data read from Float64Array columns d0, d1, …), accumulating the
 * parameters' adjoints: as fast as a hand-written loop, whatever the sample count.
 */
function compileSumGradient(term: Tape, P: number, columns: number): (x: ArrayLike<number>, g: Float64Array, cols: Float64Array[], n: number, factor: number) => number {
  const { source, square } = termForward(term, P);
  const lines = [...loopHead(P, columns, true), source];
  lines.push(...backwardLines(term, (i, k) => (square(i) && k === 0 ? `2 * v${term.nodes[i].args[0]}` : undefined), P));
  lines.push(`s += v${term.output};`);
  for (let p = 0; p < P; p++) lines.push(`G${p} += g${term.inputs[p]};`);
  lines.push('}');
  for (let p = 0; p < P; p++) lines.push(`g[${p}] = factor * G${p};`);
  lines.push('return factor * s;');
  return build(['x', 'g', 'cols', 'n', 'factor'], lines.join('\n'), constantsOf(term));
}

/**
 * Σᵢ term(θ, dataᵢ) over the columns `data` (named as the term's data
 * symbols), θ in the order of `params`: the forward sweep alone in one loop
 * (a value, a contour point, a check of a partial over 100,000 samples).
 */
export function sumValueFunction(term: Expr, params: readonly string[], data: Readonly<Record<string, Float64Array>>, count: number): ValueFn {
  const symbols = Object.keys(data);
  return sumValueLoop(new Tape(term, [...params, ...symbols]), params.length, symbols.map((s) => data[s]), count);
}

/** The term's tape over P parameters then the columns `cols`, summed over `count` samples; the term's compiled value per sample where it is too large to inline. */
function sumValueLoop(tape: Tape, P: number, cols: Float64Array[], count: number): ValueFn {
  if (canGenerateCode() && tape.size <= COMPILE_NODE_LIMIT) {
    const lines = [...loopHead(P, cols.length, false), termForward(tape, P).source, `s += v${tape.output};`, '}', 'return s;'];
    const loop = build<(x: ArrayLike<number>, cols: Float64Array[], n: number) => number>(['x', 'cols', 'n'], lines.join('\n'), constantsOf(tape));
    return (x) => loop(x, cols, count);
  }
  const v = compileValue(tape);
  const args = new Float64Array(P + cols.length);
  return (x) => {
    for (let p = 0; p < P; p++) args[p] = x[p];
    let s = 0;
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < cols.length; k++) args[P + k] = cols[k][i];
      s += v(args);
    }
    return s;
  };
}

/** The gradient of a cost over data estimated on some of its samples (mini-batch descent): c · (m/B) · Σ over the batch. */
export type BatchGradientFn = (x: ArrayLike<number>, g: Float64Array, samples: ArrayLike<number>) => number;

/** For a tape that is a sum over samples: its gradient on a batch of them; undefined otherwise. */
export function batchGradientFunction(tape: Tape): BatchGradientFn | undefined {
  const sum = sumOf(tape);
  if (!sum) return undefined;
  const symbols = Object.keys(sum.data);
  const P = tape.params.length;
  const term = new Tape(sum.term, [...tape.params, ...symbols]);
  const cols = symbols.map((s) => sum.data[s]);
  const loop = canGenerateCode() && term.size <= COMPILE_NODE_LIMIT ? compileSumGradient(term, P, cols.length) : undefined;
  const g = loop ? undefined : compileGradient(term);
  const extra = extraGradient(tape, sum);
  const args = new Float64Array(P + symbols.length);
  const gt = new Float64Array(P + symbols.length);
  const batchSum = (x: ArrayLike<number>, grad: Float64Array, samples: ArrayLike<number>): number => {
    const B = samples.length;
    const scale = (sum.factor * sum.count) / B;
    if (loop) {
      const batch = cols.map((c) => Float64Array.from(samples, (i) => c[i]));
      return loop(x, grad, batch, B, scale);
    }
    for (let p = 0; p < P; p++) { args[p] = x[p]; grad[p] = 0; }
    let s = 0;
    for (let j = 0; j < B; j++) {
      for (let k = 0; k < cols.length; k++) args[P + k] = cols[k][samples[j]];
      s += (g as GradientFn)(args, gt);
      for (let p = 0; p < P; p++) grad[p] += gt[p];
    }
    for (let p = 0; p < P; p++) grad[p] *= scale;
    return scale * s;
  };
  // the part without data (a regularisation term) counts whole in every batch
  return (x, grad, samples) => batchSum(x, grad, samples) + extra(x, grad);
}

/** The number of samples of a tape that is a sum over samples. */
export function sampleCount(tape: Tape): number | undefined {
  return sumOf(tape)?.count;
}

/** The part of a cost over data without data (a regularisation term): its value, its gradient added into `grad`. */
function extraGradient(tape: Tape, sum: SampleSum): (x: ArrayLike<number>, grad: Float64Array) => number {
  if (!sum.extra) return () => 0;
  const g = compileGradient(new Tape(sum.extra, tape.params));
  const ge = new Float64Array(tape.params.length);
  return (x, grad) => {
    const v = g(x, ge);
    for (let p = 0; p < ge.length; p++) grad[p] += ge[p];
    return v;
  };
}

function sumFunctions(tape: Tape, sum: SampleSum): { value: ValueFn; gradient: GradientFn } {
  const whole = sumOnly(tape, sum);
  if (!sum.extra) return whole;
  const extra = extraGradient(tape, sum);
  const scratch = new Float64Array(tape.params.length);
  return {
    value: (x) => whole.value(x) + extra(x, scratch),
    gradient: (x, grad) => whole.gradient(x, grad) + extra(x, grad),
  };
}

function sumOnly(tape: Tape, sum: SampleSum): { value: ValueFn; gradient: GradientFn } {
  const symbols = Object.keys(sum.data);
  const P = tape.params.length;
  const term = new Tape(sum.term, [...tape.params, ...symbols]);
  const cols = symbols.map((s) => sum.data[s]);
  const total = sumValueLoop(term, P, cols, sum.count);
  const value: ValueFn = (x) => sum.factor * total(x);
  if (canGenerateCode() && term.size <= COMPILE_NODE_LIMIT) {
    const loop = compileSumGradient(term, P, cols.length);
    return { value, gradient: (x, grad) => loop(x, grad, cols, sum.count, sum.factor) };
  }
  const g = compileGradient(term);
  const args = new Float64Array(P + symbols.length);
  const gt = new Float64Array(P + symbols.length);
  return {
    value,
    gradient: (x, grad) => {
      for (let p = 0; p < P; p++) args[p] = x[p];
      for (let p = 0; p < P; p++) grad[p] = 0;
      let s = 0;
      for (let i = 0; i < sum.count; i++) {
        for (let k = 0; k < cols.length; k++) args[P + k] = cols[k][i];
        s += g(args, gt);
        for (let p = 0; p < P; p++) grad[p] += gt[p];
      }
      for (let p = 0; p < P; p++) grad[p] *= sum.factor;
      return sum.factor * s;
    },
  };
}

/** The compiled f of a tape, compiled once. */
export function valueFunction(tape: Tape): ValueFn {
  let f = values.get(tape);
  if (!f) {
    const sum = sumOf(tape);
    values.set(tape, (f = sum ? sumFunctions(tape, sum).value : compileValue(tape)));
  }
  return f;
}

/** The compiled f and ∇f of a tape, compiled once. */
export function gradientFunction(tape: Tape): GradientFn {
  let f = gradients.get(tape);
  if (!f) {
    const sum = sumOf(tape);
    gradients.set(tape, (f = sum ? sumFunctions(tape, sum).gradient : compileGradient(tape)));
  }
  return f;
}
