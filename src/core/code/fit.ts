/**
 * The model beside the cost: in a cost over data, each sample's term holds a
 * prediction (the largest part that depends on the parameters and on one
 * data array, before the target comes in): `f_wb = w * x[i] + b` in
 * (f_wb − y[i])², σ(z) in the logistic loss. Read from the expression tree
 * and the data the interpreter tagged, never from running anything.
 */
import { Expr, countNodes, foldUp, operands, toMathString, walkNodes } from '../expr/ast';
import type { SampleSum } from '../autodiff/tape';

/** Where a number in an expression came from: element `index` of the data array `name`. */
export interface DataTag { name: string; index: number; column?: number }

export interface FitModel {
  /** the data array that is the model's input (one value per sample), and the target array */
  input: string;
  target: string;
  /** the samples as read (a view of the data when the data is packed): copied only into a panel's view */
  x: Float64Array;
  y: Float64Array;
  /** the prediction as an expression of the parameters and `inputParam` (the input) */
  model: Expr;
  inputParam: string;
}

/** The parameter standing for the input in `FitModel.model`. */
export const FIT_INPUT = '__x';

/** per data array under a node: the one sample index it holds, or −1 for several */
type Info = { param: boolean; data: Map<string, number> };


/** Per node: whether it depends on a parameter, and which tagged data (name → sample indices) lies under it; iterative (sums over many samples are deep). */
function dataInfo(root: Expr, tags: ReadonlyMap<Expr, DataTag>): Map<Expr, Info> {
  return foldUp<Info>(root, (e, kids) => {
    const tag = tags.get(e);
    let r: Info = e.kind === 'num' && tag && tag.column === undefined ? { param: false, data: new Map([[tag.name, tag.index]]) } : { param: e.kind === 'param', data: new Map() };
    if (kids.length === 1) return kids[0];
    for (const c of kids) r = { param: r.param || c.param, data: mergeData(r.data, c.data) };
    return r;
  });
}

function mergeData(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  let same = true;
  for (const [k, v] of b) if (a.get(k) !== v) { same = false; break; }
  if (same) return a;
  const data = new Map(a);
  for (const [k, v] of b) {
    const old = data.get(k);
    data.set(k, old === undefined || old === v ? v : -1);
  }
  return data;
}

export function findFitModel(root: Expr, tags: ReadonlyMap<Expr, DataTag>): FitModel | undefined {
  if (countNodes(root, 400_000) >= 400_000) return undefined;
  const info = dataInfo(root, tags);
  // a third data array in the terms (X's two columns and y): a 2-D input, not drawn as a curve
  if ((info.get(root) as Info).data.size !== 2) return undefined;
  // predictions: maximal nodes with parameters and one input sample, whose parent adds another array's same sample
  const found = new Map<number, { node: Expr; input: string; target: string }>();
  const single = (d: Map<string, number>): [string, number] | undefined => {
    if (d.size !== 1) return undefined;
    const [[name, idx]] = [...d.entries()];
    return idx >= 0 ? [name, idx] : undefined;
  };
  const seen = new Set<Expr>();
  const stack: Array<[Expr, Expr | undefined]> = [[root, undefined]];
  while (stack.length) {
    const [e, parent] = stack.pop() as [Expr, Expr | undefined];
    if (seen.has(e)) continue;
    seen.add(e);
    const me = info.get(e);
    const up = parent ? info.get(parent) : undefined;
    const s = me && me.param ? single(me.data) : undefined;
    if (s && up && up.data.size === 2) {
      const other = [...up.data.keys()].find((k) => k !== s[0]) as string;
      if (up.data.get(other) === s[1] && !found.has(s[1])) found.set(s[1], { node: preferLocal(e), input: s[0], target: other });
      continue;
    }
    const kids = operands(e);
    for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k], e]);
  }
  if (found.size < 2) return undefined;
  const first = found.get(Math.min(...found.keys()));
  if (!first) return undefined;
  const { input, target } = first;
  if ([...found.values()].some((f) => f.input !== input || f.target !== target)) return undefined;
  // the data, from the tagged numbers
  const xs = new Map<number, number>();
  const ys = new Map<number, number>();
  for (const e of info.keys()) {
    const t = tags.get(e);
    if (t && e.kind === 'num' && t.column === undefined) {
      if (t.name === input) xs.set(t.index, e.value);
      if (t.name === target) ys.set(t.index, e.value);
    }
  }
  const idx = [...found.keys()].filter((i) => xs.has(i) && ys.has(i)).sort((a, b) => a - b);
  if (idx.length < 2) return undefined;
  const sample = idx[0];
  const model = substitute(first.node, (e) => {
    const t = tags.get(e);
    return t && t.name === input && t.index === sample && t.column === undefined ? { kind: 'param', name: FIT_INPUT, start: e.start, end: e.end } : undefined;
  });
  return { input, target, x: Float64Array.from(idx, (i) => xs.get(i) as number), y: Float64Array.from(idx, (i) => ys.get(i) as number), model, inputParam: FIT_INPUT };
}

/** A prediction wrapped in log or a minus (the logistic loss) is the named intermediate inside it. */
function preferLocal(e: Expr): Expr {
  if (e.kind === 'local') return e;
  let cur: Expr = e;
  for (let d = 0; d < 3; d++) {
    if (cur.kind === 'call' || cur.kind === 'neg') cur = cur.arg;
    else if (cur.kind === 'bin' && cur.op === '-' && cur.left.kind === 'num') cur = cur.right;
    else break;
    if (cur.kind === 'local') return cur;
  }
  return e;
}

/** A copy of the tree with some leaves replaced (shared subtrees stay shared). */
function substitute(root: Expr, replace: (e: Expr) => Expr | undefined): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (e: Expr): Expr => {
    const m = memo.get(e);
    if (m) return m;
    let out: Expr;
    const r = replace(e);
    if (r) out = r;
    else if (e.kind === 'local') out = { ...e, expr: go(e.expr) };
    else if (e.kind === 'neg' || e.kind === 'call') out = { ...e, arg: go(e.arg) } as Expr;
    else if (e.kind === 'bin') out = { ...e, left: go(e.left), right: go(e.right) };
    else out = e;
    memo.set(e, out);
    return out;
  };
  return go(root);
}

/**
 * A cost that is a constant times a sum of one term per sample, J = c · Σᵢ T(dataᵢ, θ),
 * plus perhaps a part without data: the term over the parameters and one symbol per
 * data array (`x_i`, `y_i`), each symbol's value per sample.
 */
export type SumForm = SampleSum;

/**
 * The sum over samples in a cost over data: the per-sample terms must all be
 * the same expression of their own sample's data (checked term by term), so
 * the partials can be written once, per sample, under a Σ.
 */
export function findSumForm(root: Expr, tags: ReadonlyMap<Expr, DataTag>): SumForm | undefined {
  const whole = sumFormOf(root, tags);
  if (whole) return whole;
  // the sum plus a part without data — the course labs' regularisation, cost/m + λ/(2m)·Σⱼ wⱼ²
  let e = root;
  while (e.kind === 'local') e = e.expr;
  if (e.kind !== 'bin' || e.op !== '+') return undefined;
  const tagged = (x: Expr): boolean => { let found = false; walkNodes(x, (n) => (found = n.kind === 'num' && tags.has(n))); return found; };
  for (const [sum, rest] of [[e.left, e.right], [e.right, e.left]]) {
    if (tagged(rest)) continue;
    const inner = sumFormOf(sum, tags);
    if (inner) return { ...inner, extra: rest };
  }
  return undefined;
}

function sumFormOf(root: Expr, tags: ReadonlyMap<Expr, DataTag>): SumForm | undefined {
  let factor = 1;
  let e = root;
  let accumulator: string | undefined;
  for (let guard = 0; guard < 20; guard++) {
    if (e.kind === 'local') { accumulator = e.name; e = e.expr; }
    else if (e.kind === 'bin' && e.op === '*' && e.left.kind === 'num' && !e.left.name) { factor *= e.left.value; e = e.right; }
    else if (e.kind === 'bin' && e.op === '*' && e.right.kind === 'num' && !e.right.name) { factor *= e.right.value; e = e.left; }
    else if (e.kind === 'bin' && e.op === '/' && e.right.kind === 'num' && !e.right.name) { factor /= e.right.value; e = e.left; }
    else if (e.kind === 'neg') { factor = -factor; e = e.arg; }
    else break;
  }
  // The sum's own spine first: a left fold (a loop's +=, np.mean) adds one sample's term at each
  // step, but its first term may itself be a sum (np.mean of a + b), so the deepest one to four
  // terms of the spine may be one sample's; then every + (a loop adding twice per sample).
  const zero = (x: Expr): boolean => x.kind === 'num' && x.value === 0;
  const plus = (x: Expr): (Expr & { kind: 'bin' }) | undefined => {
    const y = x.kind === 'local' ? x.expr : x;
    return y.kind === 'bin' && y.op === '+' ? y : undefined;
  };
  // a loop's −= from 0 (loss -= log(p[y[i]])): 0 − t₀ − t₁ − … is −Σ tᵢ
  const minus = (x: Expr): (Expr & { kind: 'bin' }) | undefined => {
    const y = x.kind === 'local' ? x.expr : x;
    return y.kind === 'bin' && y.op === '-' ? y : undefined;
  };
  const subtracted: Expr[] = [];
  let start = e;
  for (let p = minus(start); p; p = minus(start)) { subtracted.push(p.right); start = p.left; }
  if (subtracted.length > 1 && zero(start.kind === 'local' ? start.expr : start)) {
    const found = sumOver(subtracted.reverse(), -factor, tags);
    if (found) return accumulator ? { ...found, accumulator } : found;
  }
  const chain: Array<Expr & { kind: 'bin' }> = [];
  let left = e;
  for (let p = plus(left); p; p = plus(left)) { chain.push(p); left = p.left; }
  const rights = chain.map((c) => c.right).reverse();
  for (let j = 0; j <= Math.min(3, chain.length - 1); j++) {
    const first = j === 0 ? left : chain[chain.length - j];
    const found = sumOver([first, ...rights.slice(j)].filter((x) => !zero(x)), factor, tags);
    if (found) return accumulator ? { ...found, accumulator } : found;
  }
  const all: Expr[] = [];
  const stack = [e];
  while (stack.length) {
    const x = stack.pop() as Expr;
    const y = plus(x);
    if (y) stack.push(y.right, y.left);
    else if (!zero(x)) all.push(x);
  }
  let found = all.length !== rights.length + 1 ? sumOver(all, factor, tags) : undefined;
  // a sum over a matrix (np.sum(Y * np.log(p)), softmax's cross-entropy over m samples × K classes) adds K terms
  // per sample, in the samples' order: one sample's K terms are its term
  if (!found) {
    const grouped = bySample(all, tags);
    if (grouped) found = sumOver(grouped, factor, tags);
  }
  // sums over the same samples added or subtracted (CS231n's vectorised −Σᵢ s[yᵢ] + Σᵢ log Σⱼ exp(sᵢⱼ)):
  // every sample's signed parts, gathered into one term per sample
  if (!found) {
    const grouped = bySample(signedParts(e, tags), tags);
    if (grouped) found = sumOver(grouped, factor, tags);
  }
  return found && accumulator ? { ...found, accumulator } : found;
}

/**
 * The parts of a sum of sums, each with its sign (−x as a neg node): +, − and a minus are opened
 * while what they add reads several samples; a part that reads one sample is kept whole.
 */
function signedParts(root: Expr, tags: ReadonlyMap<Expr, DataTag>): Expr[] {
  // per node: the one sample it reads, −1 for several, undefined for none
  const samples = foldUp<number | undefined>(root, (e, kids) => {
    const tag = e.kind === 'num' ? tags.get(e) : undefined;
    let r = tag?.index;
    for (const k of kids) if (k !== undefined) r = r === undefined || r === k ? k : -1;
    return r;
  });
  const parts: Expr[] = [];
  const stack: Array<[Expr, boolean]> = [[root, false]];
  while (stack.length) {
    const [x, negated] = stack.pop() as [Expr, boolean];
    const y = x.kind === 'local' ? x.expr : x;
    if (samples.get(x) === -1 && y.kind === 'bin' && (y.op === '+' || y.op === '-')) stack.push([y.right, y.op === '-' ? !negated : negated], [y.left, negated]);
    else if (samples.get(x) === -1 && y.kind === 'neg') stack.push([y.arg, !negated]);
    else if (!(y.kind === 'num' && y.value === 0 && !tags.has(y))) parts.push(negated ? { kind: 'neg', arg: x, start: x.start, end: x.end } : x);
  }
  return parts;
}

/**
 * Terms grouped by the sample they read (runs 0, 0, 1, 1, … or interleaved sums 0, 1, …, 0, 1, …),
 * every sample with as many, each sample's added up in their order; undefined otherwise.
 */
function bySample(terms: readonly Expr[], tags: ReadonlyMap<Expr, DataTag>): Expr[] | undefined {
  // the sample a term reads (its first data number's; sumOver checks that all of them are that sample's)
  const sampleOf = (root: Expr): number | undefined => {
    const stack = [root];
    const seen = new Set<Expr>();
    while (stack.length) {
      const e = stack.pop() as Expr;
      if (seen.has(e)) continue;
      seen.add(e);
      const tag = e.kind === 'num' ? tags.get(e) : undefined;
      if (tag) return tag.index;
      stack.push(...operands(e));
    }
    return undefined;
  };
  const runs: Expr[][] = [];
  for (const t of terms) {
    const i = sampleOf(t);
    if (i === undefined || i > runs.length) return undefined;
    if (i === runs.length) runs.push([t]);
    else runs[i].push(t);
  }
  if (runs.length < 2 || runs.some((r) => r.length !== runs[0].length) || runs[0].length < 2) return undefined;
  return runs.map((r) => r.slice(1).reduce<Expr>((l, x) => ({ kind: 'bin', op: '+', left: l, right: x, start: x.start, end: x.end }), r[0]));
}

/** The symbol of a data array (or a matrix's column, `X[:, 2]` → X2_i) in a sample's term. */
export function dataSymbol(name: string): string {
  const col = /^(.*)\[:, (\d+)\]$/.exec(name);
  const base = col ? `${col[1]}${col[2]}` : name.includes('.') ? (name.split('.').pop() as string) : name;
  return `${base.replace(/[^A-Za-z0-9_]/g, '_')}_i`;
}

/** The terms as one term per sample k = 0, 1, …: the same expression of sample k's data in each. */
function sumOver(terms: Expr[], factor: number, tags: ReadonlyMap<Expr, DataTag>): SumForm | undefined {
  if (terms.length < 2) return undefined;
  const symbolOf = dataSymbol;
  // a sample's number: its array, or its column of a matrix X with several features (X[i, j] → X2_i)
  const sample = (x: Expr): { name: string; index: number } | undefined => {
    const tag = x.kind === 'num' ? tags.get(x) : undefined;
    return tag && { name: tag.column === undefined ? tag.name : `${tag.name}[:, ${tag.column}]`, index: tag.index };
  };
  // sample 0's term, its data numbers as symbols: the template
  const data: Record<string, Float64Array> = {};
  let index: number | undefined;
  let mixed = false;
  const term0 = substitute(terms[0], (x) => {
    const tag = sample(x);
    if (!tag) return undefined;
    if (index === undefined) index = tag.index;
    else if (index !== tag.index) mixed = true;
    const sym = symbolOf(tag.name);
    data[sym] = new Float64Array(terms.length);
    data[sym][0] = (x as Expr & { kind: 'num' }).value;
    return { kind: 'param', name: sym, start: x.start, end: x.end };
  });
  if (mixed || index !== 0 || Object.keys(data).length === 0) return undefined;
  // every other term: the same tree as sample 0's, node by node, with sample k's data where it has sample 0's
  const symbols = Object.keys(data);
  const slot = new Map<string, number>();
  const got = new Float64Array(symbols.length);
  // a term is walked as a tree; one that shares subtrees so much that its walk outgrows this is not matched
  const budget = 64 * countNodes(terms[0], 100_000) + 64;
  const stack: Array<[Expr, Expr]> = [];
  for (let k = 1; k < terms.length; k++) {
    got.fill(NaN);
    stack.length = 0;
    stack.push([terms[k], terms[0]]);
    let visits = 0;
    while (stack.length) {
      const [x, t] = stack.pop() as [Expr, Expr];
      if (++visits > budget) return undefined;
      const tt = sample(t);
      if (tt) {
        const xt = sample(x);
        if (!xt || xt.index !== k || xt.name !== tt.name) return undefined;
        let j = slot.get(tt.name);
        if (j === undefined) slot.set(tt.name, (j = symbols.indexOf(symbolOf(tt.name))));
        got[j] = (x as Expr & { kind: 'num' }).value;
        continue;
      }
      if (x.kind !== t.kind) return undefined;
      switch (x.kind) {
        case 'num': if (sample(x) || x.value !== (t as typeof x).value || x.name !== (t as typeof x).name) return undefined; break;
        case 'param': if (x.name !== (t as typeof x).name) return undefined; break;
        case 'local': stack.push([x.expr, (t as typeof x).expr]); break;
        case 'neg': stack.push([x.arg, (t as typeof x).arg]); break;
        case 'call': if (x.fn !== (t as typeof x).fn) return undefined; stack.push([x.arg, (t as typeof x).arg]); break;
        case 'bin': if (x.op !== (t as typeof x).op) return undefined; stack.push([x.left, (t as typeof x).left], [x.right, (t as typeof x).right]); break;
      }
    }
    for (let j = 0; j < symbols.length; j++) {
      if (Number.isNaN(got[j])) return undefined;
      data[symbols[j]][k] = got[j];
    }
  }
  return { factor, count: terms.length, term: term0, data };
}

/** A classifier over two inputs: the samples by class and the prediction whose level set is the decision boundary. */
export interface BoundaryModel {
  /** the two data symbols of the sum's term that are the inputs (e.g. X0_i, X1_i), and the labels */
  inputs: [string, string];
  target: string;
  /** as FitModel's: the samples as read, copied only into a panel's view */
  x1: Float64Array;
  x2: Float64Array;
  y: Float64Array;
  /** the prediction over the parameters and the two inputs (named by `inputs`) */
  model: Expr;
  /** the boundary is model = threshold: 0.5 for a probability (σ), 0 for a score */
  threshold: number;
}

/**
 * For a cost over data whose term reads two inputs and a 0/1 label (logistic
 * regression on two features, the course labs' exam scores): the prediction
 * is the largest part of the term with a parameter and both inputs but not
 * the label (σ(z) under the log of the loss, preferring the named
 * intermediate), its boundary where it crosses ½ (0 when it is not a σ).
 */
export function findBoundary(sum: { term: Expr; data: Record<string, Float64Array> }): BoundaryModel | undefined {
  const symbols = Object.keys(sum.data);
  if (symbols.length !== 3) return undefined;
  const labels = symbols.filter((s) => sum.data[s].every((v) => v === 0 || v === 1));
  if (labels.length !== 1) return undefined;
  const target = labels[0];
  const inputs = symbols.filter((s) => s !== target) as [string, string];
  const found = predictionIn(sum.term, inputs, target, symbols);
  if (!found) return undefined;
  const inner = found.kind === 'local' ? found.expr : found;
  const sigmoid = (inner.kind === 'call' && inner.fn === 'sigmoid')
    || (inner.kind === 'bin' && inner.op === '/' && inner.left.kind === 'num' && inner.left.value === 1 && toMathString(inner.right).includes('exp'));
  return { inputs, target, x1: sum.data[inputs[0]], x2: sum.data[inputs[1]], y: sum.data[target], model: found, threshold: sigmoid ? 0.5 : 0 };
}

/** Free parameter and data-symbol names below each node of a small tree. */
function namesBelow(root: Expr): Map<Expr, Set<string>> {
  return foldUp<Set<string>>(root, (e, kids) => {
    const s = new Set<string>(e.kind === 'param' ? [e.name] : []);
    for (const k of kids) for (const n of k) s.add(n);
    return s;
  });
}

/**
 * The largest part of a sample's term with a parameter and every input but
 * not the target (top-down, so the first found is the largest), then out of
 * the loss's log, minus or 1 − ·: the prediction itself.
 */
function predictionIn(term: Expr, inputs: readonly string[], target: string, symbols: readonly string[]): Expr | undefined {
  const below = namesBelow(term);
  const isPrediction = (e: Expr): boolean => {
    const s = below.get(e) as Set<string>;
    return inputs.every((i) => s.has(i)) && !s.has(target) && [...s].some((n) => !symbols.includes(n));
  };
  let found: Expr | undefined;
  const todo: Expr[] = [term];
  for (let q = 0; q < todo.length && !found; q++) {
    if (isPrediction(todo[q])) found = todo[q];
    else todo.push(...operands(todo[q]));
  }
  for (let d = 0; found && d < 3 && found.kind !== 'local'; d++) {
    if ((found.kind === 'call' && found.fn === 'log') || found.kind === 'neg') found = found.arg;
    else if (found.kind === 'bin' && found.op === '-' && found.left.kind === 'num') found = found.right;
    else break;
  }
  return found;
}

/**
 * The fit beside a cost over data with one input, read from its Σ form: the
 * sample's term holds a prediction from one data symbol (the input) that the
 * other (the target) then meets. Linear in the sample count only through
 * the data it copies: the term itself is one sample's.
 */
export function fitFromSum(sum: { term: Expr; data: Record<string, Float64Array> }): FitModel | undefined {
  const symbols = Object.keys(sum.data);
  if (symbols.length !== 2) return undefined;
  for (const [input, target] of [[symbols[0], symbols[1]], [symbols[1], symbols[0]]]) {
    const found = predictionIn(sum.term, [input], target, symbols);
    if (!found) continue;
    const model = substitute(found, (e) => (e.kind === 'param' && e.name === input ? { kind: 'param', name: FIT_INPUT, start: e.start, end: e.end } : undefined));
    const name = (sym: string): string => sym.replace(/_i$/, '');
    return { input: name(input), target: name(target), x: sum.data[input], y: sum.data[target], model, inputParam: FIT_INPUT };
  }
  return undefined;
}
