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

export const OPS = [
  'input', 'const', 'add', 'sub', 'mul', 'div', 'pow', 'neg',
  'exp', 'log', 'log10', 'log2', 'sqrt', 'abs', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'softplus', 'square',
] as const;
export type OpName = (typeof OPS)[number];

const enum Op {
  Input, Const, Add, Sub, Mul, Div, Pow, Neg,
  Exp, Log, Log10, Log2, Sqrt, Abs, Sin, Cos, Tan, Asin, Acos, Atan,
  Sinh, Cosh, Tanh, Sigmoid, Relu, Softplus, Square,
}

const BIN_OP: Record<string, Op> = { '+': Op.Add, '-': Op.Sub, '*': Op.Mul, '/': Op.Div, '^': Op.Pow };

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

  constructor(root: Expr, readonly params: readonly string[]) {
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
        case 'bin': id = add(OPS[BIN_OP[e.op]], [idOf(e.left), idOf(e.right)], e); break;
      }
      memo.set(e, id);
    }
    this.nodes = nodes;
    this.size = nodes.length;
    this.output = idOf(root);
    this.inputs = Int32Array.from(inputIds);
    this.op = Uint8Array.from(nodes.map((n) => OPS.indexOf(n.op)));
    this.a = Int32Array.from(nodes.map((n) => n.args[0] ?? -1));
    this.b = Int32Array.from(nodes.map((n) => n.args[1] ?? -1));
    this.constant = Float64Array.from(constants);
    this.values = new Float64Array(this.size);
    this.adjoints = new Float64Array(this.size);
  }

  /** Forward pass: every node's value at `point` (parameter order). Returns f. */
  forward(point: ArrayLike<number>): number {
    const { op, a, b, values: v, constant, inputs } = this;
    for (let k = 0; k < inputs.length; k++) v[inputs[k]] = point[k];
    for (let i = 0; i < this.size; i++) {
      const x = v[a[i]];
      switch (op[i] as Op) {
        case Op.Input: break;
        case Op.Const: v[i] = constant[i]; break;
        case Op.Add: v[i] = x + v[b[i]]; break;
        case Op.Sub: v[i] = x - v[b[i]]; break;
        case Op.Mul: v[i] = x * v[b[i]]; break;
        case Op.Div: v[i] = x / v[b[i]]; break;
        case Op.Pow: v[i] = Math.pow(x, v[b[i]]); break;
        case Op.Neg: v[i] = -x; break;
        case Op.Exp: v[i] = Math.exp(x); break;
        case Op.Log: v[i] = x < 0 ? NaN : Math.log(x); break;
        case Op.Log10: v[i] = x < 0 ? NaN : Math.log10(x); break;
        case Op.Log2: v[i] = x < 0 ? NaN : Math.log2(x); break;
        case Op.Sqrt: v[i] = Math.sqrt(x); break;
        case Op.Abs: v[i] = Math.abs(x); break;
        case Op.Sin: v[i] = Math.sin(x); break;
        case Op.Cos: v[i] = Math.cos(x); break;
        case Op.Tan: v[i] = Math.tan(x); break;
        case Op.Asin: v[i] = Math.asin(x); break;
        case Op.Acos: v[i] = Math.acos(x); break;
        case Op.Atan: v[i] = Math.atan(x); break;
        case Op.Sinh: v[i] = Math.sinh(x); break;
        case Op.Cosh: v[i] = Math.cosh(x); break;
        case Op.Tanh: v[i] = Math.tanh(x); break;
        case Op.Sigmoid: v[i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); break;
        case Op.Relu: v[i] = x > 0 ? x : 0; break;
        case Op.Softplus: v[i] = x > 30 ? x : Math.log1p(Math.exp(x)); break;
        case Op.Square: v[i] = x * x; break;
      }
    }
    return v[this.output];
  }

  /**
   * Backward pass after `forward`: adjoints[i] = ∂f/∂node_i. Writes ∂f/∂param
   * into `gradient` (parameter order). At a kink the one-sided conventions of
   * ML frameworks apply: abs′(0) = 0, relu′(0) = 0.
   */
  backward(gradient?: Float64Array): Float64Array {
    const { op, a, b, values: v, adjoints: g } = this;
    g.fill(0);
    g[this.output] = 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const gi = g[i];
      if (gi === 0) continue;
      const ia = a[i];
      const x = v[ia];
      switch (op[i] as Op) {
        case Op.Input: case Op.Const: break;
        case Op.Add: g[ia] += gi; g[b[i]] += gi; break; // d(x+y) = dx + dy
        case Op.Sub: g[ia] += gi; g[b[i]] -= gi; break; // d(x−y) = dx − dy
        case Op.Mul: g[ia] += gi * v[b[i]]; g[b[i]] += gi * x; break; // d(xy) = y dx + x dy
        case Op.Div: { const y = v[b[i]]; g[ia] += gi / y; g[b[i]] -= (gi * x) / (y * y); break; } // d(x/y) = dx/y − x dy/y²
        case Op.Pow: { // d(x^y) = y x^(y−1) dx + x^y ln(x) dy
          const y = v[b[i]];
          g[ia] += gi * (y === 0 ? 0 : y * Math.pow(x, y - 1));
          if (op[b[i]] !== Op.Const || x > 0) g[b[i]] += gi * (v[i] === 0 ? 0 : v[i] * Math.log(x));
          break;
        }
        case Op.Neg: g[ia] -= gi; break; // d(−x) = −dx
        case Op.Exp: g[ia] += gi * v[i]; break; // d eˣ = eˣ dx
        case Op.Log: g[ia] += gi / x; break; // d ln x = dx / x
        case Op.Log10: g[ia] += gi / (x * Math.LN10); break; // d log₁₀x = dx / (x ln 10)
        case Op.Log2: g[ia] += gi / (x * Math.LN2); break; // d log₂x = dx / (x ln 2)
        case Op.Sqrt: g[ia] += gi / (2 * v[i]); break; // d √x = dx / (2√x)
        case Op.Abs: g[ia] += gi * Math.sign(x); break; // d|x| = sign(x) dx
        case Op.Sin: g[ia] += gi * Math.cos(x); break; // d sin x = cos x dx
        case Op.Cos: g[ia] -= gi * Math.sin(x); break; // d cos x = −sin x dx
        case Op.Tan: { const c = Math.cos(x); g[ia] += gi / (c * c); break; } // d tan x = dx / cos²x
        case Op.Asin: g[ia] += gi / Math.sqrt(1 - x * x); break; // d asin x = dx / √(1−x²)
        case Op.Acos: g[ia] -= gi / Math.sqrt(1 - x * x); break; // d acos x = −dx / √(1−x²)
        case Op.Atan: g[ia] += gi / (1 + x * x); break; // d atan x = dx / (1+x²)
        case Op.Sinh: g[ia] += gi * Math.cosh(x); break; // d sinh x = cosh x dx
        case Op.Cosh: g[ia] += gi * Math.sinh(x); break; // d cosh x = sinh x dx
        case Op.Tanh: g[ia] += gi * (1 - v[i] * v[i]); break; // d tanh x = (1 − tanh²x) dx
        case Op.Sigmoid: g[ia] += gi * v[i] * (1 - v[i]); break; // d σ(x) = σ(x)(1 − σ(x)) dx
        case Op.Relu: g[ia] += x > 0 ? gi : 0; break; // d relu x = [x > 0] dx
        case Op.Softplus: g[ia] += gi / (1 + Math.exp(-x)); break; // d ln(1+eˣ) = σ(x) dx
        case Op.Square: g[ia] += 2 * gi * x; break; // d x² = 2x dx
      }
    }
    const out = gradient ?? new Float64Array(this.inputs.length);
    for (let k = 0; k < this.inputs.length; k++) out[k] = g[this.inputs[k]];
    return out;
  }

  /**
   * After `forward`: ∂node/∂operand for operand `k` (0 or 1) of node `i`, the
   * local derivative each edge of the backward pass multiplies by.
   */
  localDerivative(i: number, k: number): number {
    const v = this.values;
    const x = v[this.a[i]];
    const y = this.b[i] >= 0 ? v[this.b[i]] : NaN;
    switch (this.op[i] as Op) {
      case Op.Add: return 1;
      case Op.Sub: return k === 0 ? 1 : -1;
      case Op.Mul: return k === 0 ? y : x;
      case Op.Div: return k === 0 ? 1 / y : -x / (y * y);
      case Op.Pow: return k === 0 ? (y === 0 ? 0 : y * Math.pow(x, y - 1)) : (v[i] === 0 ? 0 : v[i] * Math.log(x));
      case Op.Neg: return -1;
      case Op.Exp: return v[i];
      case Op.Log: return 1 / x;
      case Op.Log10: return 1 / (x * Math.LN10);
      case Op.Log2: return 1 / (x * Math.LN2);
      case Op.Sqrt: return 1 / (2 * v[i]);
      case Op.Abs: return Math.sign(x);
      case Op.Sin: return Math.cos(x);
      case Op.Cos: return -Math.sin(x);
      case Op.Tan: return 1 / (Math.cos(x) * Math.cos(x));
      case Op.Asin: return 1 / Math.sqrt(1 - x * x);
      case Op.Acos: return -1 / Math.sqrt(1 - x * x);
      case Op.Atan: return 1 / (1 + x * x);
      case Op.Sinh: return Math.cosh(x);
      case Op.Cosh: return Math.sinh(x);
      case Op.Tanh: return 1 - v[i] * v[i];
      case Op.Sigmoid: return v[i] * (1 - v[i]);
      case Op.Relu: return x > 0 ? 1 : 0;
      case Op.Softplus: return 1 / (1 + Math.exp(-x));
      case Op.Square: return 2 * x;
      default: return NaN;
    }
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
