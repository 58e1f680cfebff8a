/**
 * A descent to take away: a self-contained script, Python with NumPy or plain
 * Node, that recomputes the same descent — the function, its gradient written
 * out from the symbolic partials, the optimizer's update with its state, and
 * the data of a cost over data — and prints one CSV line per step:
 * `step,<parameters in order>,value`.
 *
 * Safety: no text of the user's becomes code. Parameter and data names are
 * written as themselves only when they are plain ASCII identifiers (w[0] as
 * w_0) that no keyword, builtin or name of the script's own could be confused
 * with, else as `_p0`, `_d0`, … (the scripts' own names never start with an
 * underscore but `_s`, `_i`, `_g` inside f and grad); the names themselves
 * reach the script only as escaped string literals. Everything else is numbers and this file's templates.
 */
import { BinaryOperator, Expr, UnaryFunction } from './expr/ast';
import { OP_RULES, fillTemplate } from './autodiff/ops';
import { UserError } from './errors';
import { OptimizerName, hyperparameters } from './optimizers';
import { FunctionDefinition } from './source/definition';
import { SymbolicGradient, symbolicGradient } from './symbolic';

export const DESCENT_EXPORT_FORMATS = ['numpy', 'js'] as const;
export type DescentExportFormat = (typeof DESCENT_EXPORT_FORMATS)[number];

export interface DescentExportOptions {
  optimizer: OptimizerName;
  learningRate: number;
  /** start value per parameter */
  start: Record<string, number>;
  /** the updates to run (the script prints this many lines and one more: step 0) */
  steps: number;
}

/** Above this many characters an expression (its shared locals written out each time they are used) is too large to export. */
const CODE_LIMIT = 1_000_000;

/** Keywords and builtins of either language, and what f and grad refer to: a parameter's name among them is renamed. */
const RESERVED = new Set([
  'np', 'M', 'FACTOR', ...Object.keys(OP_RULES),
  // Python
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for',
  'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case',
  'print', 'range', 'repr', 'float', 'str', 'len', 'numpy', 'self', 'type',
  // JavaScript
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'eval', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private',
  'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield',
  'NaN', 'Infinity', 'Math', 'console', 'process', 'require', 'module', 'exports', 'globalThis', 'Number', 'String', 'Array', 'Object', 'Float64Array',
]);
/** The scripts' own global names: a data array (a global too) among them is renamed. */
const SCRIPT_NAMES = new Set(['f', 'grad', 'theta', 'step', 'value', 'g', 'd', 't', 'v', 'G', 's', 'm', 'mhat', 'vhat', 'NAMES', 'ETA', 'MU', 'RHO', 'BETA1', 'BETA2', 'EPS', 'STEPS']);

/** A user's names → identifiers safe in both languages, distinct from each other and from the `reserved` names. */
function identifiers(names: readonly string[], prefix: string, taken: Set<string>, reserved: (name: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  names.forEach((name, k) => {
    // a vector's component w[0] is w_0, as in the formulas shown
    const readable = name.replace(/\[(\d+)\]/g, '_$1');
    const plain = /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(readable) && !reserved(readable) && !taken.has(readable);
    const id = plain ? readable : `_${prefix}${k}`;
    taken.add(id);
    out.set(name, id);
  });
  return out;
}

/** A string as a literal both Python and JavaScript read back exactly: ASCII, every other character escaped. */
export function stringLiteral(s: string, format: DescentExportFormat): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += format === 'js' ? `\\u{${c.toString(16)}}` : `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A number as a literal that reads back as the same double (a Python float, not an int); negative ones parenthesised. */
function numberLiteral(v: number, format: DescentExportFormat): string {
  if (Number.isNaN(v)) return format === 'js' ? 'NaN' : 'np.nan';
  if (!Number.isFinite(v)) return (v > 0 ? '' : '(-') + (format === 'js' ? 'Infinity' : 'np.inf') + (v > 0 ? '' : ')');
  let s = Object.is(v, -0) ? '-0' : String(v);
  if (format === 'numpy' && /^-?\d+$/.test(s)) s += '.0';
  return s.startsWith('-') ? `(${s})` : s;
}

/** NumPy's name for each function whose value rule is one NumPy function; the rest are the script's own helpers. */
const NUMPY: Partial<Record<UnaryFunction, string>> = {
  exp: 'np.exp', log: 'np.log', log10: 'np.log10', log2: 'np.log2', sqrt: 'np.sqrt', abs: 'np.abs',
  sin: 'np.sin', cos: 'np.cos', tan: 'np.tan', asin: 'np.arcsin', acos: 'np.arccos', atan: 'np.arctan',
  sinh: 'np.sinh', cosh: 'np.cosh', tanh: 'np.tanh',
};
/** The helpers, as the op table computes them (ops.ts), elementwise for arrays of samples. */
const NUMPY_HELPERS: Partial<Record<UnaryFunction, string>> = {
  sigmoid: 'np.where(a >= 0, 1 / (1 + np.exp(-a)), np.exp(a) / (1 + np.exp(a)))',
  relu: 'np.where(a > 0, a, 0.0)',
  softplus: 'np.where(a > 30, a, np.log1p(np.exp(a)))',
  square: 'a * a',
};

const PRECEDENCE: Record<Exclude<BinaryOperator, '^'>, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };
const NEG = 3;
const POW = 4;
const ATOM = 6;

/**
 * Writes expressions as code of one language, keeping the tree's shape (the
 * order of operations, hence the rounding, is the tree's). `name` maps a
 * parameter or data symbol to its code; the helper functions used are collected.
 */
class Writer {
  readonly helpers = new Set<UnaryFunction>();
  /** `line`: the definition's, for the message when an expression is too large */
  constructor(private readonly format: DescentExportFormat, private readonly name: (symbol: string) => string, private readonly line: number) {}

  code(e: Expr): string {
    return this.write(e)[0];
  }

  private write(e: Expr): [string, number] {
    const out = this.node(e);
    if (out[0].length > CODE_LIMIT) throw new UserError(`cannot export the descent: an expression written out has more than ${CODE_LIMIT} characters`, this.line, 1);
    return out;
  }

  private node(e: Expr): [string, number] {
    const wrap = ([c, p]: [string, number], below: number): string => (p < below ? `(${c})` : c);
    switch (e.kind) {
      case 'num': return [numberLiteral(e.value, this.format), ATOM];
      case 'param': return [this.name(e.name), ATOM];
      case 'local': return this.write(e.expr);
      case 'neg': return [`-${wrap(this.write(e.arg), NEG + 1)}`, NEG];
      case 'call': return [this.call(e.fn, this.write(e.arg)[0]), ATOM];
      case 'bin': {
        const left = this.write(e.left);
        const right = this.write(e.right);
        if (e.op === '^') {
          if (this.format === 'js') return [fillTemplate(OP_RULES.pow.js, { a: left[0], b: right[0], v: '' }), ATOM];
          return [`${wrap(left, ATOM)} ** ${wrap(right, ATOM)}`, POW];
        }
        const p = PRECEDENCE[e.op];
        // the right operand at the same precedence keeps its parentheses: a − (b − c), and a + (b + c) rounds as written
        return [`${wrap(left, p)} ${e.op} ${wrap(right, p + 1)}`, p];
      }
    }
  }

  private call(fn: UnaryFunction, arg: string): string {
    if (this.format === 'numpy') {
      const np = NUMPY[fn];
      if (np) return `${np}(${arg})`;
    } else if (OP_RULES[fn].js.split('$a').length === 2) {
      return fillTemplate(OP_RULES[fn].js, { a: arg, b: '', v: '' });
    }
    this.helpers.add(fn);
    return `${fn}(${arg})`;
  }

  /** The definitions of the helpers used. */
  helperDefinitions(): string[] {
    return [...this.helpers].sort().map((fn) => (this.format === 'numpy'
      ? `def ${fn}(a):\n    return ${NUMPY_HELPERS[fn] as string}\n`
      : `function ${fn}(a) {\n  return ${fillTemplate(OP_RULES[fn].js, { a: 'a', b: '', v: '' })};\n}\n`));
  }
}

/** The symbolic partials of `expr` as our expression trees, or a located reason why not. */
function partials(sym: SymbolicGradient, params: readonly string[], def: FunctionDefinition): Expr[] {
  if (!sym.ok) throw new UserError(`cannot export the descent: ${sym.reason}`, def.startLine, 1);
  return params.map((p) => {
    const e = sym.partials[p].expr;
    if (!e) throw new UserError(`cannot export the descent: ∂/∂${p} = ${sym.partials[p].text} uses a function the script cannot write`, def.startLine, 1);
    return e;
  });
}

/** The optimizer's state and its update Δ, θ ← θ − Δ, as ops.ts's optimizers compute them (same order of operations). */
function optimizerCode(name: OptimizerName, format: DescentExportFormat): { constants: Array<[string, number]>; state: string[]; update: string[] } {
  const h = hyperparameters(name, { learningRate: 0 });
  const js = format === 'js';
  const sqrt = js ? 'Math.sqrt' : 'np.sqrt';
  const pow = (b: string, e: string): string => (js ? `Math.pow(${b}, ${e})` : `${b} ** ${e}`);
  // per parameter in JavaScript (a loop over i), elementwise over the vector in NumPy
  const at = (x: string): string => (js ? `${x}[i]` : x);
  const zeros = (x: string): string => (js ? `const ${x} = new Float64Array(theta.length);` : `${x} = np.zeros(len(theta))`);
  const set = (x: string, e: string): string => `${at(x)} = ${e}${js ? ';' : ''}`;
  const local = (x: string, e: string): string => (js ? `const ${x} = ${e};` : `${x} = ${e}`);
  const g = at('g');
  switch (name) {
    case 'gd': case 'sgd':
      return { constants: [], state: [], update: [local('d', `ETA * ${g}`)] };
    case 'momentum': case 'nesterov':
      return {
        constants: [['MU', h.momentum]],
        state: [zeros('v')],
        update: [set('v', `MU * ${at('v')} + ${g}`), local('d', name === 'momentum' ? `ETA * ${at('v')}` : `ETA * (${g} + MU * ${at('v')})`)],
      };
    case 'adagrad':
      return { constants: [['EPS', h.epsilon]], state: [zeros('G')], update: [set('G', `${at('G')} + ${g} * ${g}`), local('d', `ETA * ${g} / (${sqrt}(${at('G')}) + EPS)`)] };
    case 'rmsprop':
      return {
        constants: [['RHO', h.beta2], ['EPS', h.epsilon]],
        state: [zeros('s')],
        update: [set('s', `RHO * ${at('s')} + (1 - RHO) * ${g} * ${g}`), local('d', `ETA * ${g} / (${sqrt}(${at('s')}) + EPS)`)],
      };
    case 'adam':
      return {
        constants: [['BETA1', h.beta1], ['BETA2', h.beta2], ['EPS', h.epsilon]],
        state: [zeros('m'), zeros('v')],
        update: [
          set('m', `BETA1 * ${at('m')} + (1 - BETA1) * ${g}`),
          set('v', `BETA2 * ${at('v')} + (1 - BETA2) * ${g} * ${g}`),
          local('mhat', `${at('m')} / (1 - ${pow('BETA1', 't')})`),
          local('vhat', `${at('v')} / (1 - ${pow('BETA2', 't')})`),
          local('d', `ETA * mhat / (${sqrt}(vhat) + EPS)`),
        ],
      };
  }
}

/** The script that recomputes the descent of `def` with `options`, in `format`. */
export function exportDescent(def: FunctionDefinition, options: DescentExportOptions, format: DescentExportFormat): string {
  const js = format === 'js';
  const params = def.params;
  const sum = def.sumForm;
  const symbols = sum ? Object.keys(sum.data) : [];
  const taken = new Set<string>();
  // parameters are local to f and grad; data arrays are globals beside the script's own
  const paramIds = identifiers(params, 'p', taken, (n) => RESERVED.has(n));
  const dataIds = identifiers(symbols, 'd', taken, (n) => RESERVED.has(n) || SCRIPT_NAMES.has(n));
  // a sample's data in JavaScript is the loop's element; NumPy takes the whole column at once
  const writer = new Writer(format, (n) => paramIds.get(n) ?? (js ? `${dataIds.get(n) as string}[_i]` : (dataIds.get(n) as string)), def.startLine);
  const args = params.map((p) => paramIds.get(p) as string).join(', ');
  const out: string[] = [];
  const comment = js ? '//' : '#';
  const end = js ? ';' : '';
  if (js) out.push("'use strict';");
  else out.push('#!/usr/bin/env python3');
  out.push(`${comment} Gradient descent exported by Gradient Lens: run it as is (${js ? 'node' : 'python3 with NumPy'}).`);
  out.push(`${comment} It prints one CSV line per step: the step, the parameters in the order of NAMES, the value.`);
  if (!js) out.push('import numpy as np');
  out.push('');
  out.push(`${js ? 'const ' : ''}NAMES = [${params.map((p) => stringLiteral(p, format)).join(', ')}]${end}`);
  if (sum) {
    out.push(`${comment} the data: one array per column, a sample per position`);
    for (const s of symbols) {
      const values = Array.from(sum.data[s], (v) => numberLiteral(v, format)).join(', ');
      out.push(js ? `const ${dataIds.get(s) as string} = [${values}];` : `${dataIds.get(s) as string} = np.array([${values}])`);
    }
    out.push(`${js ? 'const ' : ''}M = ${sum.count}${end}`);
    out.push(`${js ? 'const ' : ''}FACTOR = ${numberLiteral(sum.factor, format)}${end}`);
  }
  out.push('');
  const body: string[] = [];
  if (!sum) {
    // f first: a body whose shared locals are too large written out stops here, before its derivative is taken
    const value = writer.code(def.body);
    const grads = partials(symbolicGradient(def.body, params), params, def).map((e) => writer.code(e));
    body.push(...fn('f', args, [`return ${value}`], format));
    body.push(...fn('grad', args, [`return ${js ? `[${grads.join(', ')}]` : `np.array([${grads.join(', ')}])`}`], format));
  } else {
    const term = writer.code(sum.term);
    const extra = sum.extra ? ` + (${writer.code(sum.extra)})` : '';
    const termGrads = partials(symbolicGradient(sum.term, [...params, ...symbols]), params, def).map((e) => writer.code(e));
    const extraGrads = sum.extra ? partials(symbolicGradient(sum.extra, params), params, def).map((e) => writer.code(e)) : undefined;
    if (js) {
      // sample by sample, in order, as the descent adds them up
      body.push(...fn('f', args, ['let _s = 0;', `for (let _i = 0; _i < M; _i++) _s += ${term};`, `return FACTOR * _s${extra};`], format));
      body.push(...fn('grad', args, [
        `const _g = [${params.map(() => '0').join(', ')}];`,
        'for (let _i = 0; _i < M; _i++) {',
        ...termGrads.map((e, k) => `  _g[${k}] += ${e};`),
        '}',
        `return [${params.map((_, k) => `FACTOR * _g[${k}]${extraGrads ? ` + (${extraGrads[k]})` : ''}`).join(', ')}];`,
      ], format));
    } else {
      // a partial without data is the same for every sample: broadcast to M before the sum
      const total = (e: string): string => `np.sum(np.broadcast_to(${e}, M))`;
      body.push(...fn('f', args, [`return FACTOR * ${total(term)}${extra}`], format));
      body.push(...fn('grad', args, [`return np.array([${termGrads.map((e, k) => `FACTOR * ${total(e)}${extraGrads ? ` + (${extraGrads[k]})` : ''}`).join(', ')}])`], format));
    }
  }
  out.push(...writer.helperDefinitions());
  out.push(...body);
  const opt = optimizerCode(options.optimizer, format);
  out.push(`${comment} ${options.optimizer}: ${js ? 'θ ← θ − Δ' : 'theta <- theta - d'}`);
  for (const [k, v] of [['ETA', options.learningRate], ...opt.constants] as Array<[string, number]>) out.push(`${js ? 'const ' : ''}${k} = ${numberLiteral(v, format)}${end}`);
  out.push(`${js ? 'const ' : ''}STEPS = ${options.steps}${end}`);
  const start = params.map((p) => numberLiteral(options.start[p], format)).join(', ');
  if (js) {
    out.push(`const theta = Float64Array.from([${start}]);`);
    out.push(...opt.state);
    out.push('for (let step = 0; ; step++) {');
    out.push('  const value = f(...theta);');
    out.push("  console.log([step, ...theta, value].join(','));");
    out.push('  if (step === STEPS) break;');
    out.push('  const g = grad(...theta);');
    if (options.optimizer === 'adam') out.push('  const t = step + 1;');
    out.push('  for (let i = 0; i < theta.length; i++) {');
    for (const line of opt.update) out.push(`    ${line}`);
    out.push('    theta[i] -= d;');
    out.push('  }');
    out.push('}');
  } else {
    out.push(`theta = np.array([${start}])`);
    out.push(...opt.state);
    out.push('with np.errstate(all="ignore"):  # NaN and infinity as in IEEE arithmetic, no warnings');
    out.push('    for step in range(STEPS + 1):');
    out.push('        value = f(*theta)');
    out.push('        print(",".join([str(step)] + [repr(float(x)) for x in theta] + [repr(float(value))]))');
    out.push('        if step == STEPS:');
    out.push('            break');
    out.push('        g = grad(*theta)');
    if (options.optimizer === 'adam') out.push('        t = step + 1');
    for (const line of opt.update) out.push(`        ${line}`);
    out.push('        theta = theta - d');
  }
  return `${out.join('\n')}\n`;
}

function fn(name: string, args: string, lines: string[], format: DescentExportFormat): string[] {
  return format === 'js'
    ? [`function ${name}(${args}) {`, ...lines.map((l) => `  ${l}${/[;{}]$/.test(l) ? '' : ';'}`), '}', '']
    : [`def ${name}(${args}):`, ...lines.map((l) => `    ${l}`), ''];
}
