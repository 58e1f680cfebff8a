/**
 * Reverse-mode automatic differentiation over the parsed expression.
 *
 * The expression DAG is flattened once into a tape in topological order
 * (operands before the operations that use them): an opcode and up to two
 * operand indices per node, in typed arrays. `forward` fills every node's
 * value; `backward` walks the tape in reverse and adds each node's adjoint
 * ∂f/∂node, times the local derivative, into its operands' adjoints — the
 * chain rule, once per edge. Named locals of the code (`z`, `a`) stay nodes
 * with their labels, so the graph shows them.
 */
import { Expr, UnaryFunction } from '../expr/ast';
import { Local, OP_NAMES, OP_RULES, OpName } from './ops';

export type { OpName } from './ops';

const BIN_OP: Record<string, OpName> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' };
const INPUT = OP_NAMES.indexOf('input');
const CONST = OP_NAMES.indexOf('const');
/** per opcode: the forward value and the local derivatives, straight from the table */
const VALUE = OP_NAMES.map((n) => OP_RULES[n].value as (x: number, y: number) => number);
const LOCAL: ReadonlyArray<readonly Local[]> = OP_NAMES.map((n) => OP_RULES[n].local);

export interface TapeNode {
  id: number;
  op: OpName;
  /** the parameter's name, or the name of a local variable in the code, else null */
  label: string | null;
  /** operand ids */
  args: number[];
  /** document offsets of the source text this node came from */
  start: number;
  end: number;
}

/**
 * A cost over data, f = factor · Σₖ term(params, sample k) + extra(params):
 * the term over the parameters and one symbol per data column; `extra` a part
 * without data added to the sum (a regularisation term, λ/(2m)·Σ w²);
 * `accumulator` the code's name for the sum (`cost` in `cost += …`), which
 * names one sample's term in the chain rule (∂cost⁽ⁱ⁾/∂f_wb⁽ⁱ⁾).
 */
export interface SampleSum {
  factor: number; count: number; term: Expr; data: Record<string, Float64Array>; extra?: Expr; accumulator?: string;
  /** the part without data is known to be over m (read at two sample counts: a regularisation's λ/(2m)) */
  extraOverM?: boolean;
}

export class Tape {
  readonly size: number;
  readonly output: number;
  /** tape index of each parameter's input node, in parameter order */
  readonly inputs: Int32Array;
  private readonly op: Uint8Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly constant: Float64Array;
  readonly values: Float64Array;
  readonly adjoints: Float64Array;
  readonly nodes: readonly TapeNode[];

  /**
   * The tape of `root` over `params`: one node per operation of the
   * expression, shared subexpressions once. `layout` (SumTape's) gives the
   * nodes instead.
   */
  constructor(root: Expr, readonly params: readonly string[], layout?: TapeNode[]) {
    if (layout) {
      this.nodes = layout;
      this.size = layout.length;
      this.output = layout.length - 1;
      this.inputs = Int32Array.from(params.map((_, i) => i));
      this.op = Uint8Array.from(layout.map((n) => OP_NAMES.indexOf(n.op)));
      this.a = new Int32Array(this.size).fill(-1);
      this.b = new Int32Array(this.size).fill(-1);
      this.constant = new Float64Array(this.size);
      this.values = new Float64Array(this.size);
      this.adjoints = new Float64Array(this.size);
      return;
    }
    const nodes: TapeNode[] = [];
    const constants: number[] = [];
    const memo = new Map<Expr, number>();
    const inputIds = params.map((name, i) => {
      nodes.push({ id: i, op: 'input', label: name, args: [], start: -1, end: -1 });
      constants.push(0);
      return i;
    });
    const add = (op: OpName, args: number[], e: Expr, c = 0): number => {
      const id = nodes.length;
      nodes.push({ id, op, label: null, args, start: e.start, end: e.end });
      constants.push(c);
      return id;
    };
    // Iterative post-order walk: deep expressions must not overflow the stack.
    const stack: Array<{ e: Expr; visited: boolean }> = [{ e: root, visited: false }];
    const idOf = (e: Expr): number => {
      const id = memo.get(e);
      if (id === undefined) throw new Error('tape: operand not built');
      return id;
    };
    const children = (e: Expr): Expr[] => {
      switch (e.kind) {
        case 'bin': return [e.left, e.right];
        case 'neg': case 'call': return [e.arg];
        case 'local': return [e.expr];
        default: return [];
      }
    };
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (memo.has(top.e)) { stack.pop(); continue; }
      if (!top.visited) {
        top.visited = true;
        for (const c of children(top.e)) if (!memo.has(c)) stack.push({ e: c, visited: false });
        continue;
      }
      stack.pop();
      const e = top.e;
      let id: number;
      switch (e.kind) {
        case 'num': id = add('const', [], e, e.value); break;
        case 'param': {
          id = inputIds[params.indexOf(e.name)];
          if (id === undefined) throw new Error(`tape: unknown parameter ${e.name}`);
          const n = nodes[id];
          if (n.start < 0) { n.start = e.start; n.end = e.end; }
          break;
        }
        case 'local': {
          id = idOf(e.expr);
          // A local that merely renames another node keeps the first name.
          if (nodes[id].label === null) nodes[id].label = e.name;
          break;
        }
        case 'neg': id = add('neg', [idOf(e.arg)], e); break;
        case 'call': id = add(e.fn as UnaryFunction, [idOf(e.arg)], e); break;
        case 'bin': id = add(BIN_OP[e.op], [idOf(e.left), idOf(e.right)], e); break;
      }
      memo.set(e, id);
    }
    this.nodes = nodes;
    this.size = nodes.length;
    this.output = idOf(root);
    this.inputs = Int32Array.from(inputIds);
    this.op = Uint8Array.from(nodes.map((n) => OP_NAMES.indexOf(n.op)));
    this.a = Int32Array.from(nodes.map((n) => n.args[0] ?? -1));
    this.b = Int32Array.from(nodes.map((n) => n.args[1] ?? -1));
    this.constant = Float64Array.from(constants);
    this.values = new Float64Array(this.size);
    this.adjoints = new Float64Array(this.size);
  }

  /** After a backward pass: ∂f/∂params (parameter order) into `gradient`, or a new array. */
  protected paramGradient(gradient?: Float64Array): Float64Array {
    const out = gradient ?? new Float64Array(this.params.length);
    for (let k = 0; k < this.inputs.length; k++) out[k] = this.adjoints[this.inputs[k]];
    return out;
  }

  /** Forward pass: every node's value at `point` (parameter order). Returns f. */
  forward(point: ArrayLike<number>): number {
    const { op, a, b, values: v, constant, inputs } = this;
    for (let k = 0; k < inputs.length; k++) v[inputs[k]] = point[k];
    for (let i = 0; i < this.size; i++) {
      const o = op[i];
      if (o === INPUT) continue;
      v[i] = o === CONST ? constant[i] : VALUE[o](v[a[i]], b[i] >= 0 ? v[b[i]] : NaN);
    }
    return v[this.output];
  }

  /**
   * Backward pass after `forward`: adjoints[i] = ∂f/∂node_i. Writes ∂f/∂param
   * into `gradient` (parameter order). Each node adds its adjoint times the
   * local derivative into each operand: the chain rule, once per edge.
   * Constants are leaves nothing depends on, so no adjoint flows into them.
   */
  backward(gradient?: Float64Array): Float64Array {
    const { op, a, b, values: v, adjoints: g } = this;
    g.fill(0);
    g[this.output] = 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const gi = g[i];
      const o = op[i];
      if (gi === 0 || o === INPUT || o === CONST) continue;
      const ia = a[i];
      const ib = b[i];
      const x = v[ia];
      const y = ib >= 0 ? v[ib] : NaN;
      const local = LOCAL[o];
      if (op[ia] !== CONST) g[ia] += gi * local[0](x, y, v[i]);
      if (ib >= 0 && op[ib] !== CONST) g[ib] += gi * local[1](x, y, v[i]);
    }
    return this.paramGradient(gradient);
  }

  /**
   * After `forward`: ∂node/∂operand for operand `k` (0 or 1) of node `i`, the
   * local derivative each edge of the backward pass multiplies by.
   */
  localDerivative(i: number, k: number): number {
    const local = LOCAL[this.op[i]][k];
    if (!local) return NaN;
    const v = this.values;
    return local(v[this.a[i]], this.b[i] >= 0 ? v[this.b[i]] : NaN, v[i]);
  }

  /**
   * After a backward pass: the chain rule edge by edge, as `backward` adds it
   * up. `order` lists the edges (numbered as `nodes[…].args` in tape order)
   * in the order their products are added; `running[e]` is ∂f/∂(the operand
   * of edge e) right after edge e's product is added into it: where a
   * gradient arrives by several paths, the sum so far, not the final one
   * (NaN for edges into constants, which take no adjoint).
   */
  accumulation(): { order: number[]; running: Float64Array } {
    const first = new Int32Array(this.size);
    let edges = 0;
    for (const n of this.nodes) { first[n.id] = edges; edges += n.args.length; }
    const running = new Float64Array(edges).fill(NaN);
    const order: number[] = [];
    const acc = new Float64Array(this.size);
    acc[this.output] = 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const args = this.nodes[i].args;
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (this.isConstant(a)) continue;
        // the same product, in the same order, as backward: a node whose adjoint is 0 adds nothing
        if (acc[i] !== 0) acc[a] += acc[i] * this.localDerivative(i, k);
        order.push(first[i] + k);
        running[first[i] + k] = acc[a];
      }
    }
    return { order, running };
  }

  /** Whether node `i` is a constant (no adjoint flows into it). */
  isConstant(i: number): boolean {
    return this.op[i] === CONST;
  }

  /** f and ∇f at `point` in one forward and one backward pass. */
  valueAndGradient(point: ArrayLike<number>, gradient?: Float64Array): { value: number; gradient: Float64Array } {
    const value = this.forward(point);
    return { value, gradient: this.backward(gradient) };
  }

  /** The value of a `const` node. */
  constantOf(i: number): number {
    return this.constant[i];
  }

  /** f only (forward pass). */
  evaluate(point: ArrayLike<number>): number {
    return this.forward(point);
  }

  /**
   * After `forward`: the first node (in evaluation order) whose value is not
   * finite although its operands are — the operation that left the domain.
   */
  firstInvalid(): { node: TapeNode; operands: number[]; reason: string } | undefined {
    for (let i = 0; i < this.size; i++) {
      if (Number.isFinite(this.values[i])) continue;
      const args = this.nodes[i].args;
      const operands = args.map((k) => this.values[k]);
      if (!operands.every(Number.isFinite)) continue;
      return { node: this.nodes[i], operands, reason: domainReason(this.nodes[i].op, operands, this.values[i]) };
    }
    return undefined;
  }
}

/**
 * A cost over data, f = factor · Σₖ term(params, sample k) + extra(params):
 * the parameters and one Σ node, whose passes loop the term's tape over the
 * samples' data columns, never the unrolled sum (600,000 nodes for 100,000
 * samples). Its `sum` is what the compiled loops (compile.ts) run.
 */
export class SumTape extends Tape {
  private readonly term: Tape;
  private readonly extra?: Tape;
  private readonly columns: Float64Array[];
  private readonly point: Float64Array;
  private readonly termGrad: Float64Array;
  /** ∂f/∂param of the last backward pass */
  private readonly grad: Float64Array;

  constructor(root: Expr, params: readonly string[], readonly sum: SampleSum) {
    super(root, params, [
      ...params.map((name, i): TapeNode => ({ id: i, op: 'input', label: name, args: [], start: -1, end: -1 })),
      { id: params.length, op: 'add', label: 'Σ', args: params.map((_, i) => i), start: root.start, end: root.end },
    ]);
    const symbols = Object.keys(sum.data);
    this.term = new Tape(sum.term, [...params, ...symbols]);
    if (sum.extra) this.extra = new Tape(sum.extra, params);
    this.columns = symbols.map((s) => sum.data[s]);
    this.point = new Float64Array(params.length + symbols.length);
    this.termGrad = new Float64Array(params.length + symbols.length);
    this.grad = new Float64Array(params.length);
  }

  override forward(point: ArrayLike<number>): number {
    return this.pass(point, false);
  }

  override backward(gradient?: Float64Array): Float64Array {
    this.pass(this.values.subarray(0, this.params.length), true);
    return this.paramGradient(gradient);
  }

  override valueAndGradient(point: ArrayLike<number>, gradient?: Float64Array): { value: number; gradient: Float64Array } {
    const value = this.pass(point, true);
    return { value, gradient: this.paramGradient(gradient) };
  }

  /** The Σ node's local derivatives are the parameters' partials; the inputs have none. */
  override localDerivative(i: number, k: number): number {
    return i === this.output ? this.grad[k] ?? NaN : NaN;
  }

  override firstInvalid(): { node: TapeNode; operands: number[]; reason: string } | undefined {
    // the first sample whose term is undefined, and the operation in it that left the domain
    const { term, columns, point } = this;
    const P = this.params.length;
    point.set(this.values.subarray(0, P));
    for (let k = 0; k < this.sum.count; k++) {
      for (let j = 0; j < columns.length; j++) point[P + j] = columns[j][k];
      if (Number.isFinite(term.forward(point))) continue;
      const bad = term.firstInvalid();
      if (bad) return { ...bad, reason: `sample ${k + 1}: ${bad.reason}` };
    }
    if (this.extra && !Number.isFinite(this.extra.forward(this.values.subarray(0, P)))) return this.extra.firstInvalid();
    return undefined;
  }

  /** f at `point` and, with `gradient`, ∂f/∂params (into grad), the term's tape run per sample. */
  private pass(point: ArrayLike<number>, gradient: boolean): number {
    const P = this.params.length;
    const { term, columns, point: x, grad, termGrad: g } = this;
    for (let k = 0; k < P; k++) x[k] = this.values[k] = point[k];
    if (gradient) grad.fill(0);
    let total = 0;
    for (let i = 0; i < this.sum.count; i++) {
      for (let j = 0; j < columns.length; j++) x[P + j] = columns[j][i];
      total += term.forward(x);
      if (gradient) {
        term.backward(g);
        for (let k = 0; k < P; k++) grad[k] += g[k];
      }
    }
    if (gradient) for (let k = 0; k < P; k++) grad[k] *= this.sum.factor;
    let extra = 0;
    if (this.extra) {
      extra = this.extra.forward(point);
      if (gradient) {
        const ge = this.extra.backward();
        for (let k = 0; k < P; k++) grad[k] += ge[k];
      }
    }
    this.values[this.output] = this.sum.factor * total + extra;
    if (gradient) {
      // the Σ node's adjoint is 1, the parameters' are ∂f/∂param
      this.adjoints.fill(0);
      this.adjoints.set(grad);
      this.adjoints[this.output] = 1;
    }
    return this.values[this.output];
  }
}

function domainReason(op: OpName, x: number[], result: number): string {
  const fmt = (v: number): string => String(Number(v.toPrecision(6)));
  switch (op) {
    case 'log': case 'log10': case 'log2':
      return x[0] === 0 ? `${op} of 0` : `${op} of a negative number (${fmt(x[0])})`;
    case 'sqrt': return `square root of a negative number (${fmt(x[0])})`;
    case 'asin': case 'acos': return `${op} of ${fmt(x[0])}, outside [−1, 1]`;
    case 'div': return x[1] === 0 ? 'division by zero' : 'a division overflows';
    case 'pow':
      if (x[0] < 0 && !Number.isInteger(x[1])) return `a negative base (${fmt(x[0])}) to the non-integer power ${fmt(x[1])}`;
      if (x[0] === 0 && x[1] < 0) return `0 to the negative power ${fmt(x[1])}`;
      return 'a power overflows';
    default:
      return Number.isNaN(result) ? `${op} is undefined here` : `${op} overflows`;
  }
}
