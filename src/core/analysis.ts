/**
 * Everything Gradient Lens says about one function at one point: value,
 * symbolic, backprop and numeric partials and whether they agree, the descent
 * from that point, and the computational graph. The command line prints it,
 * the hover and the panel render it.
 */
import { SumTape, Tape } from './autodiff/tape';
import { gradientFunction, valueFunction } from './autodiff/compile';
import { toMathString } from './expr/ast';
import { DescentOptions, DescentTrace, runDescent } from './descent';
import type { OptimizerName } from './optimizers';
import { fmt } from './format';
import { UserError } from './errors';
import { diagnoseDescent } from './diagnose';
import { close, numericGradient } from './numeric';
import { DataBinding, FunctionDefinition } from './source/definition';
import type { GraphJson, GraphTrace } from './views';

export type { GraphJson } from './views';
import { SymbolicGradient, sumFormText, sumGradient, symbolicGradient, symbolicSumGradient, withoutAddedZeros } from './symbolic';

/** Descent options where given (`start` may name some parameters), and what fills the rest. */
export interface AnalysisOptions extends Partial<DescentOptions> {
  /** the start of parameters `start` does not name and the signature gives no default for */
  defaultStart?: number;
  /** the document's text, to label graph nodes with the code they came from */
  source?: string;
  /** false: numbers only, no symbolic partials (a quick answer while mathjs is not loaded yet) */
  symbolic?: boolean;
  /** false: no computational graph in the result (the hover needs none; a cost over 10,000 samples has 60,000 nodes) */
  graph?: boolean;
  /** true: each chain's factors at every step of the descent too (the panel shows them as the descent plays) */
  stepChains?: boolean;
}

export interface GradientCheck {
  param: string;
  /** symbolic and numeric disagree, or one of them is undefined, while f is defined */
  disagree: boolean;
  message?: string;
}

export interface FunctionAnalysis {
  kind: 'function';
  name: string | null;
  language: string;
  range: { startLine: number; endLine: number };
  params: string[];
  expression: string;
  expressionTex: string;
  /** the body as a person writes it (x^2 + 3y^2) */
  expressionText: string;
  gradient: Record<string, string>;
  gradientTex: Record<string, string>;
  /**
   * the partials in the code's own names (#18.1), for the parameters whose partial goes through an
   * intermediate the code names: the simplified form with those names, and the chain rule through them
   */
  gradientNamed?: Record<string, NamedPartialText>;
  /** why symbolic partials are missing, when they are */
  symbolicNote?: string;
  at: Record<string, number>;
  value: number | null;
  gradientAt: Record<string, number | null>;
  backpropGradientAt: Record<string, number | null>;
  numericGradientAt: Record<string, number | null>;
  checks: GradientCheck[];
  /** f is undefined at `at` (domain), with the reason */
  undefinedAt?: { message: string; offset: number };
  descent: {
    optimizer: OptimizerName;
    learningRate: number;
    maxSteps: number;
    status: DescentTrace['status'];
    message: string;
    steps: Array<{
      point: Record<string, number | null>; value: number | null; gradient: Record<string, number | null>;
      update?: Record<string, number | null>;
      state?: Record<string, Record<string, number | null>>;
      /** stochastic / mini-batch descent: the samples the update used (0-based) and their gradient, which it used */
      batch?: number[];
      batchGradient?: Record<string, number | null>;
    }>;
  };
  graph: GraphJson;
  /** the descent as the core ran it (arrays in parameter order); not part of the command line's JSON */
  trace: DescentTrace;
  /** why the descent behaved as it did: oscillation, a kink crossed, a plateau */
  diagnoses: string[];
  /** a cost over data: which arguments hold the samples, bound from where and why */
  data?: { bound: true; samples: number; bindings: DataBinding[] };
  /** what the reading assumed (FunctionDefinition.assumed) */
  assumed?: string[];
}

/** A partial in the code's names: the simplified form (math text and TeX), and the chain rule through the names when there is one. */
export interface NamedPartialText {
  text: string;
  tex: string;
  chainText?: string;
  chainTex?: string;
  /** each factor of the chain at the point (∂E/∂out_o1 = 0.741365, …), when the chain is not under a Σ */
  chainValues?: number[];
  /** with `stepChains`: the factors at each step of the descent (null where one is not finite) */
  chainSteps?: Array<number[] | null>;
}

const withNamed = (sym: SymbolicGradient, params: readonly string[], at?: Record<string, number>, steps?: ReadonlyArray<ArrayLike<number>>): { gradientNamed?: Record<string, NamedPartialText> } => {
  const named = namedPartials(sym, params, at, steps);
  return named ? { gradientNamed: named } : {};
};

/** The partials that have a form in the code's names; undefined when none has (the code names nothing the partials go through). */
function namedPartials(sym: SymbolicGradient, params: readonly string[], at?: Record<string, number>, steps?: ReadonlyArray<ArrayLike<number>>): Record<string, NamedPartialText> | undefined {
  if (!sym.ok) return undefined;
  const out: Record<string, NamedPartialText> = {};
  for (const p of params) {
    const n = sym.partials[p].named;
    const chain = n?.chain?.values;
    const finiteAt = (point: Record<string, number>): number[] | null => { const v = chain?.(point); return v?.every(Number.isFinite) ? v : null; };
    const values = at && finiteAt(at);
    const perStep = chain && steps?.map((pt) => finiteAt(Object.fromEntries(params.map((q, i) => [q, pt[i]]))));
    if (n) out[p] = { text: n.text, tex: n.tex, ...(n.chain ? { chainText: n.chain.text, chainTex: n.chain.tex } : {}), ...(values ? { chainValues: values } : {}), ...(perStep ? { chainSteps: perStep } : {}) };
  }
  return Object.keys(out).length ? out : undefined;
}

/** A cost over data with no data in the file: its symbolic partials over m symbolic samples, nothing evaluated. */
export interface UnboundAnalysis extends Pick<FunctionAnalysis, 'kind' | 'name' | 'language' | 'range' | 'params' | 'expression' | 'expressionTex' | 'gradient' | 'gradientTex' | 'gradientNamed' | 'symbolicNote' | 'assumed'> {
  value: null;
  gradientAt: null;
  descent: null;
  data: { bound: false; samples: null; bindings: [] };
  /** how to bind data */
  message: string;
}

/** What to do when a cost over data has none: say where data can come from (`choose`: how the user picks arrays where the message is read). */
export function unboundMessage(def: FunctionDefinition, choose?: string): string {
  const args = def.symbolicSum?.unbound ?? [];
  const f = def.name ?? 'the function';
  const features = def.symbolicSum?.features;
  const width = features ? `, written for ${features.shown} features of ${features.arg} (without data its width is unknown; the partial by each further weight has the same form)` : '';
  return `no data for ${args.join(', ')} in the file: these are the partials over m samples${width}. To see numbers, call ${f}(${args.map((a) => `${a}_train`).join(', ')}, …) in the file, name arrays ${args.map((a) => `${a}_train`).join(', ')} at module level, or choose arrays (${choose ?? `--data ${args.map((a) => `${a}=…`).join(',')}`})`;
}

export function analyzeUnbound(def: FunctionDefinition): UnboundAnalysis {
  const sum = def.symbolicSum;
  if (!sum) throw new Error('analyzeUnbound: the definition has data');
  const sym = symbolicSumGradient(sum, def.params);
  return {
    kind: 'function',
    name: def.name,
    language: def.language,
    range: { startLine: def.startLine, endLine: def.endLine },
    params: def.params,
    expression: sym.expressionText ?? '',
    expressionTex: sym.expressionTex ?? '',
    gradient: sym.ok ? Object.fromEntries(def.params.map((p) => [p, sym.partials[p].text])) : {},
    gradientTex: sym.ok ? Object.fromEntries(def.params.map((p) => [p, sym.partials[p].tex])) : {},
    ...withNamed(sym, def.params),
    ...(sym.ok ? {} : { symbolicNote: sym.reason }),
    value: null,
    gradientAt: null,
    descent: null,
    data: { bound: false, samples: null, bindings: [] },
    ...(def.assumed ? { assumed: def.assumed } : {}),
    message: unboundMessage(def),
  };
}

export const DEFAULT_START = 1;
export const DEFAULT_LEARNING_RATE = 0.1;
export const DEFAULT_MAX_STEPS = 100;

/** A number as the JSON shows it: null where not finite. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
/** Values in parameter order as a record by parameter name, null where not finite. */
export const record = (names: readonly string[], values: ArrayLike<number>): Record<string, number | null> =>
  Object.fromEntries(names.map((p, i) => [p, finite(values[i])]));

function compiledValueAndGradient(tape: Tape, point: ArrayLike<number>): { value: number; gradient: Float64Array } {
  const gradient = new Float64Array(point.length);
  return { value: gradientFunction(tape)(point, gradient), gradient };
}

/** The tape of a definition, cached on the definition object. */
const tapes = new WeakMap<FunctionDefinition, Tape>();
export function tapeOf(def: FunctionDefinition): Tape {
  let t = tapes.get(def);
  if (!t) {
    // a cost over data: one Σ node over the sample's term (never the unrolled sum), and the
    // compiled value and gradient loop over the samples
    t = def.sumForm ? new SumTape(def.body, def.params, def.sumForm) : new Tape(def.body, def.params);
    tapes.set(def, t);
  }
  return t;
}

/** The definition as text, once per definition: a cost over data as its Σ, not the unrolled sum. */
const plainTexts = new WeakMap<FunctionDefinition, string>();
function plainText(def: FunctionDefinition): string {
  let t = plainTexts.get(def);
  if (t === undefined) {
    t = def.sumForm ? sumFormText(def.sumForm) : toMathString(withoutAddedZeros(def.body));
    plainTexts.set(def, t);
  }
  return t;
}

export function startPoint(def: FunctionDefinition, options: AnalysisOptions): Record<string, number> {
  return Object.fromEntries(def.params.map((p) => [p, options.start?.[p] ?? def.defaults[p] ?? options.defaultStart ?? DEFAULT_START]));
}

export function analyzeFunction(def: FunctionDefinition, options: AnalysisOptions = {}): FunctionAnalysis {
  // no data to evaluate on: the caller shows analyzeUnbound's partials; a descent has nothing to run on
  if (def.symbolicSum) throw new UserError(unboundMessage(def), def.startLine, 1);
  const params = def.params;
  const at = startPoint(def, options);
  const point = params.map((p) => at[p]);
  const tape = tapeOf(def);
  const sym: SymbolicGradient = options.symbolic === false
    ? { ok: false, reason: 'the symbolic form is still loading; it shows on the next hover' }
    : def.sumForm ? sumGradient(def.sumForm, params) : symbolicGradient(def.body, params, { perSample: false, top: def.name ?? 'f' });

  // A cost over data without a graph to show (the hover): the compiled loop over the samples. With one, the
  // tape's own pass, whose values and adjoints the graph shows (for a cost over data, its Σ node's).
  const { value, gradient: bp } = def.sumForm && options.graph === false ? compiledValueAndGradient(tape, point) : tape.valueAndGradient(point);
  const plain = plainText(def);
  const graph = options.graph === false ? { nodes: [], edges: [], localGradients: [], backwardOrder: [], accumulated: [], output: 0 } : graphJson(tape, options.source);
  let undefinedAt: FunctionAnalysis['undefinedAt'];
  if (!Number.isFinite(value)) {
    if (def.sumForm) tape.forward(point);
    const bad = tape.firstInvalid();
    const where = params.map((p) => `${p} = ${fmt(at[p])}`).join(', ');
    undefinedAt = { message: `${def.name ?? 'f'} is undefined at ${where}${bad ? ` (${bad.reason})` : ''}`, offset: bad ? bad.node.start : def.range.start };
  }
  const f = valueFunction(tape);
  const numeric = numericGradient(f, point);
  const symbolicAt = params.map((p) => (sym.ok ? sym.partials[p].evaluate(at) : NaN));

  const checks: GradientCheck[] = params.map((p, i) => {
    if (!Number.isFinite(value)) return { param: p, disagree: false };
    const s = sym.ok ? symbolicAt[i] : bp[i];
    const n = numeric[i];
    const ok = Number.isFinite(s) && Number.isFinite(n) && close(s, n) && (!sym.ok || close(bp[i], n) || !Number.isFinite(bp[i]));
    if (ok) return { param: p, disagree: false };
    return {
      param: p,
      disagree: true,
      message: `the derivative ∂${def.name ?? 'f'}/∂${p} does not exist at ${params.map((q) => `${q} = ${fmt(at[q])}`).join(', ')}: symbolic ${fmt(s)}, numeric ${fmt(n)}${Number.isFinite(bp[i]) ? `, backprop ${fmt(bp[i])}` : ''} disagree`,
    };
  });

  const learningRate = options.learningRate ?? DEFAULT_LEARNING_RATE;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const optimizer = options.optimizer ?? 'gd';
  const trace = runDescent(tape, { learningRate, maxSteps, optimizer, start: at, batchSize: def.sumForm ? options.batchSize : undefined }, {}, def.name ?? 'f');

  return {
    kind: 'function',
    name: def.name,
    language: def.language,
    range: { startLine: def.startLine, endLine: def.endLine },
    params: [...params],
    expression: plain,
    expressionTex: sym.expressionTex ?? plain,
    expressionText: sym.expressionText ?? plain,
    gradient: sym.ok ? Object.fromEntries(params.map((p) => [p, sym.partials[p].text])) : {},
    gradientTex: sym.ok ? Object.fromEntries(params.map((p) => [p, sym.partials[p].tex])) : {},
    ...withNamed(sym, params, at, options.stepChains ? trace.steps.map((s) => s.point) : undefined),
    symbolicNote: sym.ok ? (sym.simplified ? undefined : 'the derivatives are not simplified: the expression is large') : sym.reason,
    at,
    value: finite(value),
    // Where f itself is undefined no partial derivative is shown as a number.
    gradientAt: record(params, !Number.isFinite(value) ? params.map(() => NaN) : sym.ok ? symbolicAt : bp),
    backpropGradientAt: record(params, !Number.isFinite(value) ? params.map(() => NaN) : bp),
    numericGradientAt: record(params, numeric),
    checks,
    undefinedAt,
    descent: {
      optimizer,
      learningRate,
      maxSteps,
      status: trace.status,
      message: trace.message,
      steps: trace.steps.map((s) => ({
        point: record(params, s.point),
        value: finite(s.value),
        gradient: record(params, s.gradient),
        ...(s.update ? { update: record(params, s.update) } : {}),
        ...(s.state ? { state: Object.fromEntries(Object.entries(s.state).map(([k, v]) => [k, record(params, v)])) } : {}),
        ...(s.batch ? { batch: s.batch } : {}),
        ...(s.batchGradient ? { batchGradient: record(params, s.batchGradient) } : {}),
      })),
    },
    graph,
    trace,
    diagnoses: diagnoseDescent(tape, trace, learningRate, def.name ?? 'f'),
    ...(def.data?.length ? { data: { bound: true, samples: def.sumForm?.count ?? def.data[0].samples, bindings: def.data } } : {}),
    ...(def.assumed ? { assumed: def.assumed } : {}),
  };
}

/** Numbers the Backprop view's per-step values may take in all (values, adjoints, local gradients). */
const GRAPH_TRACE_BUDGET = 200_000;

/**
 * The graph's values at every descent step (every k-th for long runs, and the
 * last), so the Backprop view follows the animation with no host round trip.
 */
export function graphTrace(def: FunctionDefinition, points: ReadonlyArray<ArrayLike<number | null>>): GraphTrace {
  const tape = tapeOf(def);
  const edges = tape.nodes.reduce((n, node) => n + node.args.length, 0);
  const perStep = 2 * tape.size + 2 * edges;
  const stride = Math.max(1, Math.ceil((points.length * perStep) / GRAPH_TRACE_BUDGET));
  const out: GraphTrace = { steps: [], values: [], grads: [], localGradients: [], accumulated: [] };
  const at = new Float64Array(def.params.length);
  for (let k = 0; k < points.length; k++) {
    if (k % stride !== 0 && k !== points.length - 1) continue;
    const p = points[k];
    let ok = true;
    for (let i = 0; i < at.length; i++) {
      const v = p[i];
      if (v === null) ok = false;
      else at[i] = v;
    }
    if (!ok) continue;
    tape.valueAndGradient(at);
    out.steps.push(k);
    out.values.push(Array.from(tape.values, finite));
    out.grads.push(tape.nodes.map((n) => (tape.isConstant(n.id) ? null : finite(tape.adjoints[n.id]))));
    out.localGradients.push(tape.nodes.flatMap((n) => n.args.map((_, j) => finite(tape.localDerivative(n.id, j)))));
    out.accumulated.push(Array.from(tape.accumulation().running, finite));
  }
  return out;
}

/** The graph after the tape's last forward and backward pass. */
export function graphJson(tape: Tape, source?: string): GraphJson {
  const accumulation = tape.accumulation();
  const text = (start: number, end: number): string | null => {
    if (source === undefined || start < 0 || end <= start) return null;
    const t = source.slice(start, end).replace(/\s+/g, ' ').trim();
    return t.length > 48 ? `${t.slice(0, 47)}…` : t;
  };
  return {
    nodes: tape.nodes.map((n) => {
      const [start, end] = source === undefined || n.start < 0 ? [n.start, n.end] : balancedRange(source, n.start, n.end);
      return {
        id: n.id, op: n.op, label: n.label,
        value: finite(tape.values[n.id]), grad: tape.isConstant(n.id) ? null : finite(tape.adjoints[n.id]),
        start, end, text: text(start, end),
      };
    }),
    edges: tape.nodes.flatMap((n) => n.args.map((a): [number, number] => [a, n.id])),
    localGradients: tape.nodes.flatMap((n) => n.args.map((_, k) => finite(tape.localDerivative(n.id, k)))),
    backwardOrder: accumulation.order,
    accumulated: Array.from(accumulation.running, finite),
    output: tape.output,
  };
}

/**
 * The smallest range around [start, end) whose parentheses balance: a
 * parenthesised operand `(w - 3)^2` starts at its `(`, not inside it, so the
 * text shown and the selection made in the editor are whole expressions.
 */
export function balancedRange(source: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  for (let guard = 0; guard < 64; guard++) {
    let depth = 0;
    let lowest = 0;
    for (let i = s; i < e; i++) {
      const c = source[i];
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') lowest = Math.min(lowest, --depth);
    }
    if (lowest < 0) {
      // a bracket closes one opened before the range: reach back to it
      const k = Math.max(source.lastIndexOf('(', s - 1), source.lastIndexOf('[', s - 1));
      if (k < 0) break;
      s = k;
    } else if (depth > 0) {
      // a bracket opened in the range is closed after it: reach forward to it
      const k = nextClose(source, e);
      if (k < 0) break;
      e = k + 1;
    } else break;
  }
  return [s, e];
}

function nextClose(source: string, from: number): number {
  for (let i = from; i < source.length; i++) if (source[i] === ')' || source[i] === ']') return i;
  return -1;
}
