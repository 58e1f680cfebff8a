/**
 * Symbolic partial derivatives with mathjs. The mathjs tree is built node by
 * node from our validated `Expr` (mathjs never parses user text), then
 * differentiated and simplified. Results are cached per expression, so a
 * repeated hover costs a map lookup. mathjs is loaded on first use, not at
 * activation.
 */
import type { EvalFunction, MathJsInstance, MathNode, SymbolNode } from 'mathjs';
import { Expr, UNARY_FUNCTIONS, countNodes, paramsOf, rewrite, toMathString, walkNodes } from './expr/ast';
import type { SampleSum } from './autodiff/tape';
import { ValueFn, sumValueFunction } from './autodiff/compile';
import { fraction, significant } from './format';
import { mathjsName, symbolTex, texName } from './notation';

/**
 * Above this many nodes the derivative is reported unsimplified: mathjs'
 * simplify is superlinear (a sum of 14 sines, 97 nodes, takes 0.7 s here) and
 * it runs synchronously on the extension host.
 */
export const SIMPLIFY_NODE_LIMIT = 60;
/** Once simplifying has taken this long, the remaining partials stay unsimplified. */
export const SIMPLIFY_BUDGET_MS = 250;
/** Above this many nodes no symbolic derivative is attempted (backprop and numeric gradients still are). */
export const SYMBOLIC_NODE_LIMIT = 5000;

export interface SymbolicPartial {
  /** the simplified derivative in math syntax */
  text: string;
  tex: string;
  /** evaluates the derivative; NaN where it is undefined (never a complex number) */
  evaluate(point: Record<string, number>): number;
  /** the derivative as evaluated, in Gradient Lens's own tree when every part of it has a counterpart (a Σ evaluates it per sample on a tape) */
  expr?: Expr;
  /** the textbook form as c · rest, so a Σ can take c into its own factor: (1/2m) Σ 2(…) is (1/m) Σ (…) */
  split?: { c: number; text: string; tex: string };
  /** the partial in the code's own names, when the expression names intermediates the partial goes through */
  named?: NamedPartial;
}

/**
 * A partial in the code's names: the simplified form with the code's
 * intermediates written by name (`(f_wb_i - y_i) * X0_i`), and the chain rule
 * through them (`∂cost_i/∂f_wb_i * ∂f_wb_i/∂z_i * ∂z_i/∂w_0`) when the
 * parameter reaches the expression through a chain of them.
 */
export interface NamedPartial {
  text: string;
  tex: string;
  split?: { c: number; text: string; tex: string };
  /** the chain rule's factors by name, and each factor's value at a point (∂E/∂out_o1, ∂out_o1/∂net_o1, ∂net_o1/∂w5) */
  chain?: { text: string; tex: string; values?: (point: Record<string, number>) => number[] };
}

/**
 * How the code's named intermediates are written: in one sample's term of a Σ
 * (`perSample`) a local `f_wb` is sample i's, the symbol `f_wb_i` (read
 * f_wb⁽ⁱ⁾; a name the code already ends in `_i` stays as it is); `top` names
 * what is differentiated, the first ∂ of the chain (the function, or the
 * sample's term: the code's name for it, the loop's accumulator, else loss).
 */
export interface Naming {
  perSample: boolean;
  top: string;
  /** whether every sample's targets tₖ (data symbols or numbers) add up to 1, on the data bound; absent without data */
  sumsToOne?: (targets: ReadonlyArray<string | number>) => boolean;
}

export type SymbolicGradient =
  | { ok: true; expressionTex: string; expressionText: string; partials: Record<string, SymbolicPartial>; simplified: boolean }
  | { ok: false; reason: string; expressionTex?: string; expressionText?: string };

let instance: MathJsInstance | undefined;
let book: typeof import('./textbook') | undefined;

function mathjs(): MathJsInstance {
  if (!instance) {
    // Required lazily (a separate bundle in dist/). predictable: sqrt(-1) and
    // log(-1) give NaN instead of complex numbers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require('./mathjsEngine') as typeof import('./mathjsEngine');
    instance = engine.createMathjs();
    book = engine.textbook;
  }
  return instance;
}

/** Whether mathjs is loaded (a first symbolic derivative costs its loading, ~0.3–1 s). */
export function symbolicLoaded(): boolean {
  return instance !== undefined;
}

const cache = new Map<string, SymbolicGradient>();
const CACHE_LIMIT = 200;

/** ∂f/∂p for every parameter, cached by expression text, parameter list and the names of its intermediates with what each names. */
export function symbolicGradient(expr: Expr, params: readonly string[], naming: Naming = { perSample: false, top: 'f' }): SymbolicGradient {
  const locals = namedLocals(expr, params, naming);
  mathjs();
  const own = new Set(params.map(mathjsName));
  const softmax = (book as Book).softmaxLoss(expr, (name) => !own.has(mathjsName(name)));
  // the rule pⱼ − tⱼ holds for this data only if its targets sum to 1: the answer is part of the key
  const targetsSumToOne = softmax !== undefined && targetsAddUp(softmax.targets, naming);
  // each name with what it names: a = exp(x) in atan(a) and a = atan(exp(x)) are one expression text with different names
  const names = [...locals].map(([l, s]) => `${s}=${toMathString(l.expr)}`).join(',');
  const key = `${params.join(',')}|${naming.perSample ? 'i' : ''}${naming.top}|${names}|${targetsSumToOne ? 'p-t|' : ''}${toMathString(expr)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = computeGradient(expr, params, locals, naming, targetsSumToOne ? softmax : undefined);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/** Whether the targets of a softmax's cross-entropy sum to 1: numbers by adding them, data symbols on the data bound. */
function targetsAddUp(targets: ReadonlyArray<string | number>, naming: Naming): boolean {
  if (targets.every((t) => typeof t === 'number')) return Math.abs((targets as number[]).reduce((a, b) => a + b, 0) - 1) <= 1e-12;
  return naming.sumsToOne?.(targets) ?? false;
}

/** Above this many named intermediates none are used: a script's unrolled loop names hundreds. */
const NAMED_LOCAL_LIMIT = 24;

/**
 * The intermediates the code names in `expr` that a partial can be written
 * with, and the symbol of each: a name assigned once (a loop's accumulator,
 * assigned at every step, is not one value), not clashing with a parameter, a
 * data symbol or another local's symbol.
 */
function namedLocals(expr: Expr, params: readonly string[], naming: Naming): Map<Expr & { kind: 'local' }, string> {
  const byName = new Map<string, Array<Expr & { kind: 'local' }>>();
  const taken = new Set<string>();
  walkNodes(expr, (e) => {
    if (e.kind === 'local') byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
    else if (e.kind === 'param') taken.add(mathjsName(e.name));
  });
  params.forEach((p) => taken.add(mathjsName(p)));
  const out = new Map<Expr & { kind: 'local' }, string>();
  if (byName.size > NAMED_LOCAL_LIMIT) return out;
  for (const [name, nodes] of byName) {
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) continue;
    // the elements of one sample's vector (p = softmax(z)): each by its class, p₁⁽ⁱ⁾ as a sample's X₁⁽ⁱ⁾ (p1_i)
    const elements = nodes.length > 1 && naming.perSample && /\p{L}$/u.test(name) && new Set(nodes.map((n) => n.element)).size === nodes.length && nodes.every((n) => n.element !== undefined);
    if (nodes.length !== 1 && !elements) continue;
    const symbols = nodes.map((n) => (elements ? `${name}${n.element}_i` : naming.perSample && !name.endsWith('_i') ? `${name}_i` : name));
    if (symbols.some((s) => taken.has(s))) continue;
    symbols.forEach((s, k) => { taken.add(s); out.set(nodes[k], s); });
  }
  return out;
}

function computeGradient(expr: Expr, params: readonly string[], locals: ReadonlyMap<Expr & { kind: 'local' }, string>, naming: Naming, softmax: SoftmaxLoss | undefined): SymbolicGradient {
  const size = countNodes(expr);
  const m = mathjs();
  const display = toMathjs(m, expr, false);
  // mathjs' symbol → the parameter's name in the code (w_0 → w[0]), for the TeX; the other symbols of a sample's term are its data
  const sym = (s: string): string => symbolTex(s, new Map(params.map((q) => [mathjsName(q), q])));
  let expressionTex: string | undefined;
  let expressionText: string | undefined;
  try {
    const shown = tidy(m, display);
    expressionTex = texOf(shown, sym);
    expressionText = textOf(shown);
  } catch {
    expressionTex = undefined;
  }
  if (size > SYMBOLIC_NODE_LIMIT) {
    return { ok: false, reason: `the expression has ${size} nodes, more than the ${SYMBOLIC_NODE_LIMIT} the symbolic differentiator takes; gradients come from backpropagation and finite differences`, expressionTex, expressionText };
  }
  let simplify = size <= SIMPLIFY_NODE_LIMIT;
  const differentiable = toMathjs(m, expr, true);
  const renamed = params.some((p) => mathjsName(p) !== p);
  const names = new Map([...paramsOf(expr)].map((q) => [mathjsName(q), q]));
  const partials: Record<string, SymbolicPartial> = {};
  const started = Date.now();
  let allSimplified = true;
  const named = inYourNames(m, expr, locals, naming, sym);
  const rule = softmax && softmaxRule(m, softmax, named.forms);
  try {
    for (const p of params) {
      const raw: MathNode = m.derivative(differentiable, mathjsName(p), { simplify: false });
      let d = raw;
      if (simplify && Date.now() - started > SIMPLIFY_BUDGET_MS) simplify = false;
      // decimals stay decimals (2.1, not 21/10); the value is computed from this form, as before the textbook form
      if (simplify) d = m.simplify(d, {}, { exactFractions: false });
      // evaluated as differentiated (|x|′ = |x|/x is undefined at the kink); shown tidied (sign(x)) or as a textbook writes it
      const compiled = d.compile();
      const shown = tidy(m, d);
      const compiledRaw = simplify ? raw.compile() : compiled;
      const book = textbook(raw, compiledRaw, textOf(raw).length, sym, named.forms, rule && { form: rule.partial(mathjsName(p)), constrain: rule.constrain });
      if (!book) allSimplified &&= simplify;
      // without a textbook form, mathjs' simplified form unless it is longer than the raw derivative (log2's 1.4426950408889634 / …)
      const plain = simplify && textOf(shown).length > textOf(raw).length ? tidy(m, raw) : shown;
      const text = book?.text ?? textOf(plain);
      const tex = book?.tex ?? texOf(plain, sym);
      const inNames = named.partial(p, book?.form, raw, compiledRaw, rule?.constrain);
      partials[p] = {
        text,
        tex,
        ...(book ? { split: book.split } : {}),
        ...(inNames ? { named: { text: inNames.form?.text ?? text, tex: inNames.form?.tex ?? tex, ...(inNames.form ? { split: inNames.form.split } : book ? { split: book.split } : {}), ...(inNames.chain ? { chain: inNames.chain } : {}) } } : {}),
        expr: fromMathjs(d, names),
        evaluate: (point) => {
          try {
            let scope = point;
            if (renamed) {
              scope = {};
              for (const [k, x] of Object.entries(point)) scope[mathjsName(k)] = x;
            }
            const v: unknown = compiled.evaluate(scope);
            return typeof v === 'number' ? v : NaN;
          } catch {
            return NaN;
          }
        },
      };
    }
  } catch (e) {
    const reason = e instanceof RangeError ? 'the expression is too deeply nested for the symbolic differentiator' : `the symbolic differentiator failed: ${(e as Error).message}`;
    return { ok: false, reason, expressionTex, expressionText };
  }
  return { ok: true, expressionTex: expressionTex ?? '', expressionText: expressionText ?? toMathString(expr), partials, simplified: allSimplified };
}

/** Points at which a textbook form is compared with the raw derivative before it is shown. */
const CHECK_POINTS = 4;

type Book = typeof import('./textbook');
type Form = import('./textbook').Form;
type SoftmaxLoss = import('./textbook').SoftmaxLoss;

/**
 * Softmax + cross-entropy's partials as a textbook writes them: ∂L/∂θ =
 * s · Σⱼ (pⱼ − tⱼ)·∂zⱼ/∂θ, for targets that sum to 1 (the caller has checked
 * the data). pⱼ is written as the code's pⱼ is (exp(zⱼ) / Σ exp), so the
 * code's name for it replaces it in the named form. `constrain` makes a
 * random point of the check one where the rule claims to hold: its targets
 * sum to 1.
 */
function softmaxRule(m: MathJsInstance, loss: SoftmaxLoss, forms: InstanceType<Book['Forms']>): { partial(p: string): Form | undefined; constrain(scope: Record<string, number>): void } {
  const { textbookForm } = book as Book;
  const at = { start: 0, end: 0 };
  const probabilities = loss.logits.map((z) => textbookForm(toMathjs(m, { kind: 'bin', op: '/', left: { kind: 'call', fn: 'exp', arg: z, ...at }, right: loss.denominator, ...at }, true), forms));
  const targets = loss.targets.map((t) => (typeof t === 'number' ? forms.num(t) : forms.sym(mathjsName(t))));
  const logits = loss.logits.map((z) => toMathjs(m, z, true));
  const symbols = loss.targets.filter((t): t is string => typeof t === 'string').map(mathjsName);
  const constant = loss.targets.reduce<number>((a, t) => a + (typeof t === 'number' ? t : 0), 0);
  return {
    partial(p) {
      const terms: Form[] = [];
      for (let j = 0; j < logits.length; j++) {
        const dz = textbookForm(m.derivative(logits[j], p, { simplify: false }), forms);
        const pj = probabilities[j];
        if (!dz || !pj) return undefined;
        if (dz.k !== 'num' || dz.v !== 0) terms.push(forms.mul([forms.add([pj, forms.neg(targets[j])]), dz]));
      }
      return forms.mul([forms.num(loss.scale), terms.length ? forms.add(terms) : forms.num(0)]);
    },
    constrain(scope) {
      if (!symbols.length) return;
      const last = symbols[symbols.length - 1];
      scope[last] = 1 - constant - symbols.slice(0, -1).reduce((a, s) => a + (scope[s] ?? 0), 0);
    },
  };
}

/**
 * Whether `form` equals the raw derivative at a few points where that is
 * defined (1e-9 relative); `extra` gives the values of symbols the raw
 * derivative does not have (the code's intermediates, from the point).
 */
function agrees(form: Form, raw: MathNode, compiledRaw: EvalFunction, extra?: (scope: Record<string, number>) => void, constrain?: (scope: Record<string, number>) => void): boolean {
  const { evaluateForm } = book as Book;
  const symbols = new Set<string>();
  raw.traverse((n, path) => { if (n.type === 'SymbolNode' && path !== 'fn') symbols.add((n as SymbolNode).name); });
  symbols.delete('pi');
  symbols.delete('e');
  let seed = 12345;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  for (let k = 0; k < CHECK_POINTS; k++) {
    const scope: Record<string, number> = {};
    for (const s of symbols) scope[s] = next();
    constrain?.(scope);
    let want: unknown;
    try {
      want = compiledRaw.evaluate({ ...scope });
    } catch {
      continue;
    }
    if (typeof want !== 'number' || !Number.isFinite(want)) continue;
    extra?.(scope);
    const got = evaluateForm(form, scope);
    if (!(Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(want), Math.abs(got)) + 1e-12)) return false;
  }
  return true;
}

/**
 * The raw derivative as a textbook writes it (textbook.ts), as c · rest too;
 * undefined — and the partial is shown as before — when it holds something
 * outside the textbook vocabulary, is longer than the raw text, or differs
 * from the raw derivative at a point where that is defined. The last cannot
 * happen if every rule is right (the property test's claim); the check makes
 * a wrong rule show a longer formula instead of a wrong one.
 */
function textbook(raw: MathNode, compiledRaw: EvalFunction, rawLength: number, sym: (name: string) => string, forms: InstanceType<Book['Forms']>, rule?: { form: Form | undefined; constrain: (scope: Record<string, number>) => void }): { text: string; tex: string; split: { c: number; text: string; tex: string }; form: Form } | undefined {
  // a tree to rewrite means mathjs, and with it the textbook rules, are loaded
  const { splitCoefficient, tex: formTex, text: formText, textbookForm } = book as Book;
  // a rule found on the code's structure (softmax + cross-entropy) first, checked where it claims to hold; else the rewritten raw derivative
  const ruled = rule?.form && formText(rule.form).length <= rawLength && agrees(rule.form, raw, compiledRaw, undefined, rule.constrain) ? rule.form : undefined;
  const form = ruled ?? textbookForm(raw, forms);
  if (!form) return undefined;
  const text = formText(form);
  if (text.length > rawLength || (!ruled && !agrees(form, raw, compiledRaw))) return undefined;
  const { c, rest } = splitCoefficient(forms, form);
  return { text, tex: formTex(form, sym), split: { c, text: formText(rest), tex: formTex(rest, sym) }, form };
}

/**
 * The partials in the code's names (#18.1): the textbook form with each named
 * intermediate's form written as its name — checked, with each intermediate
 * evaluated, against the raw derivative as the textbook form is — and the
 * chain rule through the intermediates, when the parameter reaches the
 * expression through a chain of them.
 */
function inYourNames(m: MathJsInstance, expr: Expr, locals: ReadonlyMap<Expr & { kind: 'local' }, string>, naming: Naming, sym: (name: string) => string): {
  forms: InstanceType<Book['Forms']>;
  partial(p: string, form: Form | undefined, raw: MathNode, compiledRaw: EvalFunction, constrain?: (scope: Record<string, number>) => void): { form?: { text: string; tex: string; split: { c: number; text: string; tex: string } }; chain?: NamedPartial['chain'] } | undefined;
} {
  const { Forms, chainOf, evaluateForm, inNames, splitCoefficient, tex: formTex, text: formText, textbookForm } = book as Book;
  const forms = new Forms();
  // each intermediate's expression as a form, written out as the derivative is (σ(z) with z's terms)
  const named: Array<{ symbol: string; form: Form }> = [];
  for (const [local, symbol] of locals) {
    const form = textbookForm(toMathjs(m, local.expr, true), forms);
    if (form && form.k !== 'num' && form.k !== 'sym') named.push({ symbol, form });
  }
  const root = expr.kind === 'local' ? locals.get(expr) : undefined;
  const top = root ?? (naming.perSample ? `${naming.top}_i` : naming.top);
  const topTex = root !== undefined || naming.perSample ? sym(top) : texName(top, { upright: true });
  return {
    forms,
    partial(p, form, raw, compiledRaw, constrain) {
      if (!locals.size) return undefined;
      let written: { text: string; tex: string; split: { c: number; text: string; tex: string } } | undefined;
      if (form) {
        const n = inNames(forms, form, named);
        const values = (scope: Record<string, number>): void => { for (const l of named) scope[l.symbol] = evaluateForm(l.form, scope); };
        if (n.id !== form.id && agrees(n, raw, compiledRaw, values, constrain)) {
          const { c, rest } = splitCoefficient(forms, n);
          written = { text: formText(n), tex: formTex(n, sym), split: { c, text: formText(rest), tex: formTex(rest, sym) } };
        }
      }
      const through = chainOf(expr, p, (l) => locals.has(l));
      const links = through.map((l) => locals.get(l) as string);
      const chain = links.length ? [top, ...links, mathjsName(p)] : undefined;
      const texOfName = (s: string, k: number): string => (k === 0 ? topTex : sym(s));
      const values = (scope: Record<string, number>): void => { for (const l of named) scope[l.symbol] = evaluateForm(l.form, scope); };
      // each link of the chain differentiated on its own (∂E/∂out_o1 = out_o1 − 0.01, ∂out_o1/∂net_o1 = out_o1(1 − out_o1), ∂net_o1/∂w5 = out_h1)
      const factors = chain && chainFactors(m, expr, through, p, forms, named);
      const chainText = chain && {
        text: chain.slice(1).map((s, k) => `∂${chain[k]}/∂${s}`).join(' * '),
        tex: chain.slice(1).map((s, k) => `\\frac{\\partial ${texOfName(chain[k], k)}}{\\partial ${sym(s)}}`).join(' \\cdot '),
        ...(factors ? { values: (point: Record<string, number>) => {
          const scope: Record<string, number> = {};
          for (const [k, v] of Object.entries(point)) scope[mathjsName(k)] = v;
          values(scope);
          return factors.map((f) => evaluateForm(f, scope));
        } } : {}),
      };
      // the product written in the chain's order, its numeric factors collected once in front, when it is no longer than
      // the simplified form (the log loss's −y/f + (1 − y)/(1 − f) times f(1 − f) is longer than f − y) and equals the derivative
      if (factors && form) {
        const parts = factors.map((f) => splitCoefficient(forms, f));
        const c = parts.reduce((a, q) => a * q.c, 1);
        const rests = parts.map((q) => q.rest).filter((r) => r.k !== 'num');
        const product = forms.mul([forms.num(c), ...rests]);
        if (rests.length > 1 && c !== 0 && agrees(product, raw, compiledRaw, values, constrain)) {
          const join = (print: (f: Form) => string, group: (s: string) => string, times: string): string => rests.map((r) => (r.k === 'add' ? group(print(r)) : print(r))).join(times);
          const rest = { text: join(formText, (t) => `(${t})`, ' * '), tex: join((f) => formTex(f, sym), (t) => `\\left(${t}\\right)`, ' \\cdot ') };
          const lead = formText(forms.num(c));
          const ordered = { text: c === 1 ? rest.text : c === -1 ? `-${rest.text}` : `${lead}${rests[0].k === 'add' ? '' : ' * '}${rest.text}`, tex: c === 1 ? rest.tex : c === -1 ? `-${rest.tex}` : `${formTex(forms.num(c))}${rests[0].k === 'add' ? '' : ' \\cdot '}${rest.tex}` };
          const now = written?.text ?? formText(form);
          if (ordered.text.length <= now.length) written = { ...ordered, split: { c, ...rest } };
        }
      }
      if (!written && !chainText) return undefined;
      return { ...(written ? { form: written } : {}), ...(chainText ? { chain: chainText } : {}) };
    },
  };
}

/**
 * The chain rule's factors ∂L₀/∂L₁, ∂L₁/∂L₂, …, ∂Lₖ/∂p through the locals
 * `through` (L₀ the expression), each link differentiated with the next
 * local as one symbol, then written in the code's names; undefined when a
 * link is outside the textbook vocabulary.
 */
function chainFactors(m: MathJsInstance, expr: Expr, through: ReadonlyArray<Expr & { kind: 'local' }>, p: string, forms: InstanceType<Book['Forms']>, named: ReadonlyArray<{ symbol: string; form: Form }>): Form[] | undefined {
  const { inNames, textbookForm } = book as Book;
  const LINK = '__link';
  const out: Form[] = [];
  for (let k = 0; k <= through.length; k++) {
    const upper = k === 0 ? (expr.kind === 'local' ? expr.expr : expr) : through[k - 1].expr;
    const lower = through[k];
    const tree = toMathjs(m, upper, true, lower ? new Map([[lower, LINK]]) : undefined);
    let d = m.derivative(tree, lower ? LINK : mathjsName(p), { simplify: false });
    if (lower) {
      const written = toMathjs(m, lower.expr, true);
      d = d.transform((n) => (n.type === 'SymbolNode' && (n as SymbolNode).name === LINK ? written.cloneDeep() : n));
    }
    const f = textbookForm(d, forms);
    if (!f) return undefined;
    out.push(inNames(forms, f, named));
  }
  return out;
}

/**
 * The c of c · Σ as text and TeX: (1/8), -(1/6), 0.3 · , nothing for 1; with
 * `per` ('m', a symbol), c/m as a textbook writes it: (1/m), (1/2m), -(1/m), (3/m).
 */
export function factorText(f: number, per = ''): { text: string; tex: string } {
  if (f === 1 && !per) return { text: '', tex: '' };
  const inv = 1 / f;
  const sign = f < 0 ? '-' : '';
  if (Math.abs(inv - Math.round(inv)) < 1e-9 && Math.abs(inv) < 1e9) {
    const n = Math.abs(Math.round(inv));
    if (n === 1) return per ? { text: `${sign}(1/${per}) `, tex: `${sign}\\frac{1}{${per}}` } : { text: sign, tex: sign };
    return { text: `${sign}(1/${n}${per}) `, tex: `${sign}\\frac{1}{${n}${per}}` };
  }
  const a = Math.abs(f);
  // a factor collected from several (1/12 · 2/3 = 1/18 above; 2/(3m) here) is a fraction, not 0.666667
  const r = significant(a) > 6 ? fraction(a) : undefined;
  if (r) return { text: `${sign}(${r.p}/${r.q === 1 ? '' : r.q}${per}) `, tex: `${sign}\\frac{${r.p}}{${r.q === 1 ? '' : r.q}${per}}` };
  if (!per) return { text: `${f} · `, tex: `${f} \\cdot ` };
  return Number.isInteger(a) ? { text: `${sign}(${a}/${per}) `, tex: `${sign}\\frac{${a}}{${per}}` } : { text: `${sign}(${a}/${per}) · `, tex: `${sign}\\frac{${a}}{${per}} \\cdot ` };
}

/**
 * A cost over data with no data in the file: its partials written once per
 * sample under a Σ over i = 1 … m, m a symbol. Nothing is evaluated.
 */
export function symbolicSumGradient(sum: { term: Expr; factor: number; perM: boolean; extra?: Expr; extraPerM?: boolean; accumulator?: string }, params: readonly string[]): SymbolicGradient {
  // no data: there is nothing to evaluate the partials on
  return underSigma(sum, params, sum.factor, sum.perM ? 'm' : '', 'm', undefined, () => () => NaN);
}

/**
 * c · Σᵢ₌₁^upper [term] + extra, differentiated: each partial of one sample's
 * term written once under the Σ, the part without data's partial after it;
 * `evaluator` says how a partial is evaluated.
 */
function underSigma(
  sum: { term: Expr; extra?: Expr; extraPerM?: boolean; extraOverM?: boolean; accumulator?: string },
  params: readonly string[],
  factor: number,
  per: string,
  upper: string,
  /** m's value when the Σ is over m bound samples */
  count: number | undefined,
  evaluator: (p: string, d: SymbolicPartial, e: SymbolicPartial | undefined) => SymbolicPartial['evaluate'],
  sumsToOne?: Naming['sumsToOne'],
): SymbolicGradient {
  // one sample's term: its intermediates are sample i's (f_wb⁽ⁱ⁾), the term itself the loop's accumulator's (cost⁽ⁱ⁾) or the course's loss⁽ⁱ⁾
  const inner = symbolicGradient(sum.term, params, { perSample: true, top: sum.accumulator ?? 'loss', ...(sumsToOne ? { sumsToOne } : {}) });
  if (!inner.ok) return inner;
  // a part without data (a regularisation term) is differentiated as it is and added after the Σ
  const extra = sum.extra ? symbolicGradient(sum.extra, params) : undefined;
  if (extra && !extra.ok) return extra;
  const plus = (text: string): string => (text.startsWith('-') ? ` - ${text.slice(1)}` : ` + ${text}`);
  const f = factorText(factor, per);
  const partials: Record<string, SymbolicPartial> = {};
  for (const p of params) {
    const d = inner.partials[p];
    const e = extra?.ok ? extra.partials[p] : undefined;
    const zero = !e || e.text === '0';
    // the part without data over m as well, as a textbook writes a regularisation's λ/m·w: (0.7/m) · w[0], not 7w[0]/60
    const cm = count && e?.split ? Number((e.split.c * count).toPrecision(12)) : NaN;
    const over = e?.split && (sum.extraOverM || significant(e.split.c) > 6) && significant(cm) <= 6 ? factorText(cm, 'm') : undefined;
    // without data, a part that is over m is kept as its m = 1 form: its partial is written over m here
    const rest = e && sum.extraPerM ? overMText(e) : e && over && e.split ? { text: `${over.text}${e.split.text}`, tex: `${over.tex}${e.split.tex}` } : e;
    // the term's numeric factor joins the Σ's: (1/2m) Σ 2(…)·x is (1/m) Σ (…)·x
    const split = d.split && d.split.c !== 0 ? d.split : undefined;
    const g = split ? factorText(factor * split.c, per) : f;
    const term = split ?? d;
    // \Bigl( \Bigr), not \left( \right): KaTeX may break a line at a + or − between them, never inside a \left … \right group
    const sigma = (c: { text: string; tex: string }, t: { text: string; tex: string }, after: { text: string; tex: string } | undefined): { text: string; tex: string } => ({
      text: `${c.text}Σᵢ₌₁^${upper} [${t.text}]${zero || !after ? '' : plus(after.text)}`,
      tex: `${c.tex}\\sum_{i=1}^{${upper}} \\Bigl(${t.tex}\\Bigr)${zero || !after ? '' : ` + ${after.tex}`}`,
    });
    const n = d.named;
    const nSplit = n?.split && n.split.c !== 0 ? n.split : undefined;
    const named = n && {
      ...sigma(nSplit ? factorText(factor * nSplit.c, per) : f, nSplit ?? n, sum.extraPerM ? rest : e?.named ?? rest),
      ...(n.chain ? { chain: sigma(f, n.chain, sum.extraPerM ? rest : e?.named ?? rest) } : {}),
    };
    partials[p] = {
      ...sigma(g, term, rest),
      ...(named ? { named } : {}),
      evaluate: evaluator(p, d, e),
    };
  }
  const whole = extra?.ok ? (sum.extraPerM && sum.extra ? extraOverMForm(sum.extra, params) : { text: extra.expressionText, tex: extra.expressionTex }) : undefined;
  return {
    ok: true,
    expressionTex: `${f.tex}\\sum_{i=1}^{${upper}} \\Bigl(${inner.expressionTex}\\Bigr)${whole ? ` + ${whole.tex}` : ''}`,
    expressionText: `${f.text}Σᵢ₌₁^${upper} [${inner.expressionText}]${whole ? plus(whole.text) : ''}`,
    partials,
    simplified: inner.simplified,
  };
}

/** A part without data kept at m = 1, over m as a textbook writes it: λ/2·Σ w² is (1/2m)(w[0]² + w[1]²). */
function extraOverMForm(extra: Expr, params: readonly string[]): { text: string; tex: string } {
  const { c, rest } = leadingFactor(extra);
  const shown = symbolicGradient(rest, params);
  const text = shown.expressionText ?? toMathString(rest);
  const tex = shown.expressionTex ?? text;
  return overMText({ text, tex, split: { c, text, tex } });
}

/** A part without data as c · rest, its "0 +" dropped: the number in front of it (1 if none) and the rest. */
function leadingFactor(extra: Expr): { c: number; rest: Expr } {
  let e = withoutAddedZeros(extra);
  while (e.kind === 'local') e = e.expr;
  return e.kind === 'bin' && e.op === '*' && e.left.kind === 'num' && !e.left.name ? { c: e.left.value, rest: e.right } : { c: 1, rest: e };
}

/** x over m as a textbook writes it: its numeric factor over m ((1/m) λ · w[0]), else (1/m) · (x). */
function overMText(x: { text: string; tex: string; split?: { c: number; text: string; tex: string } }): { text: string; tex: string } {
  if (x.split && x.split.c !== 0) {
    const c = factorText(x.split.c, 'm');
    // a sum after the factor is bracketed: (1/m)(w[0]² + w[1]²), not (1/m) w[0]² + w[1]²
    const sum = / [+-] /.test(x.split.text.replace(/\([^()]*\)/g, ''));
    return sum ? { text: `${c.text}(${x.split.text})`, tex: `${c.tex}\\left(${x.split.tex}\\right)` } : { text: `${c.text}${x.split.text}`, tex: `${c.tex}${x.split.tex}` };
  }
  return { text: `(1/m) · (${x.text})`, tex: `\\frac{1}{m}\\left(${x.tex}\\right)` };
}

/**
 * A cost over data's Σ as a textbook writes it, over i = 1 … m (m's value is
 * shown beside it): c/m when the factor is 1/m over a whole number (a mean,
 * 1/(2m)), else the factor as it is (a plain Σ, a constant 0.3). Either way
 * the factor shown, with m = count, is the factor computed.
 */
function overM(sum: { factor: number; count: number }): { factor: number; per: string } {
  const k = 1 / (sum.factor * sum.count);
  const whole = Math.round(k);
  return sum.count > 1 && whole !== 0 && Math.abs(whole) <= 100 && Math.abs(k - whole) < 1e-9 ? { factor: 1 / whole, per: 'm' } : { factor: sum.factor, per: '' };
}

/**
 * A cost over data as the user reads it, without mathjs: (1/m) Σᵢ₌₁^m [term],
 * never the unrolled sum (300 kB of text for 10,000 samples).
 */
export function sumFormText(sum: { factor: number; count: number; term: Expr; extra?: Expr; extraOverM?: boolean }): string {
  const { factor, per } = overM(sum);
  return `${factorText(factor, per).text}Σᵢ₌₁^m [${toMathString(sum.term)}]${sum.extra ? ` + ${extraText(sum.extra, { count: sum.count, overM: sum.extraOverM })}` : ''}`;
}

/**
 * A part without data (a regularisation) as text without mathjs, as a textbook writes it: no "0 +" of the
 * loop that summed it, its factor over m where that is how it reads (0.7/(2·3) is (0.35/m), not
 * 0.11666666666666665; `overM`: it is known to be over m; `perM`: it was kept at m = 1 and is over m).
 */
export function extraText(extra: Expr, o: { count?: number; overM?: boolean; perM?: boolean }): string {
  const { c, rest } = leadingFactor(extra);
  const cm = o.perM ? c : o.count ? Number((c * o.count).toPrecision(12)) : NaN;
  if (o.perM || (c !== 1 && (o.overM || significant(c) > 6) && significant(cm) <= 6)) {
    const f = factorText(cm, 'm').text.trimEnd();
    return `${f}${f === '' || f.endsWith('·') ? '' : ' ·'} (${toMathString(rest)})`;
  }
  return toMathString(c === 1 ? rest : withoutAddedZeros(extra));
}

/** x with each 0 added to it dropped (a loop's accumulator started at 0), shared subexpressions kept shared. */
export function withoutAddedZeros(root: Expr): Expr {
  const zero = (x: Expr): boolean => x.kind === 'num' && x.value === 0 && !x.name;
  return rewrite(root, (x) => (x.kind === 'bin' && x.op === '+' && zero(x.left) ? x.right : x.kind === 'bin' && x.op === '+' && zero(x.right) ? x.left : x));
}

/**
 * ∂J/∂p for a cost written as a sum over samples, J = c · Σᵢ T(xᵢ, yᵢ, θ):
 * the partial of one sample's term, shown once under the Σ, and evaluated
 * over every sample.
 */
export function sumGradient(sum: SampleSum, params: readonly string[]): SymbolicGradient {
  const symbols = Object.keys(sum.data);
  // one scope object reused across the samples (a sum over 10,000 samples evaluates 10,000 times)
  const scope: Record<string, number> = {};
  const at = (point: Record<string, number>, i: number): Record<string, number> => {
    if (i === 0) for (const [k, v] of Object.entries(point)) scope[k] = v;
    for (const s of symbols) scope[s] = sum.data[s][i];
    return scope;
  };
  const { factor, per } = overM(sum);
  return underSigma(sum, params, factor, per, 'm', per ? sum.count : undefined, (_p, d, e) => {
    // the derivative mathjs found, on a tape of our own over the parameters and the sample's data, compiled into
    // one loop (100,000 samples: a typed-array loop of straight-line code, not 100,000 mathjs scopes); mathjs itself where it cannot be
    let total: ValueFn | undefined;
    try {
      total = d.expr ? sumValueFunction(d.expr, params, sum.data, sum.count) : undefined;
    } catch {
      total = undefined;
    }
    const x = new Float64Array(params.length);
    return (point) => {
      const rest = e ? e.evaluate(point) : 0;
      let s = 0;
      if (total) {
        params.forEach((q, k) => { x[k] = point[q]; });
        s = total(x);
      } else for (let i = 0; i < sum.count; i++) s += d.evaluate(at(point, i));
      return sum.factor * s + rest;
    };
  }, (targets) => {
    // every sample's targets (one-hot rows, or distributions) add up to 1
    for (let i = 0; i < sum.count; i++) {
      let t = 0;
      for (const x of targets) t += typeof x === 'number' ? x : sum.data[x]?.[i] ?? NaN;
      if (!(Math.abs(t - 1) <= 1e-9)) return false;
    }
    return true;
  });
}

/**
 * ∂expr/∂param as mathjs differentiates it, unsimplified, and its text: what
 * a textbook form is checked against.
 */
export function rawDerivative(expr: Expr, param: string): { node: MathNode; text: string } {
  const m = mathjs();
  const node = m.derivative(toMathjs(m, expr, true), mathjsName(param), { simplify: false });
  return { node, text: textOf(node) };
}

/**
 * Our tree → a mathjs tree. With `elementary`, functions mathjs cannot
 * differentiate are rewritten first: sigmoid(u) = 1/(1+e^(−u)),
 * softplus(u) = ln(1+e^u), relu(u) = (u+|u|)/2, square(u) = u², log2(u) = ln u/ln 2.
 * Sums are flattened into n-ary nodes so long sums stay shallow.
 */
function toMathjs(m: MathJsInstance, root: Expr, elementary: boolean, as?: ReadonlyMap<Expr, string>): MathNode {
  const C = (v: number): MathNode => new m.ConstantNode(v);
  const op = (o: string, fn: string, args: MathNode[]): MathNode => new m.OperatorNode(o as '+', fn as 'add', args);
  const fn = (name: string, args: MathNode[]): MathNode => new m.FunctionNode(new m.SymbolNode(name), args);
  const conv = (e: Expr): MathNode => {
    const symbol = as?.get(e);
    if (symbol !== undefined) return new m.SymbolNode(symbol);
    switch (e.kind) {
      case 'num':
        if (e.name) return new m.SymbolNode(e.name);
        return e.value < 0 ? op('-', 'unaryMinus', [C(-e.value)]) : C(e.value);
      case 'param': return new m.SymbolNode(mathjsName(e.name));
      case 'local': return conv(e.expr);
      case 'neg': return op('-', 'unaryMinus', [conv(e.arg)]);
      case 'bin': {
        if (e.op === '+') {
          const terms: Expr[] = [];
          const flat = (x: Expr): void => {
            const y = x.kind === 'local' && !as?.has(x) ? x.expr : x;
            if (y.kind === 'bin' && y.op === '+') { flat(y.left); flat(y.right); } else terms.push(x);
          };
          // iterative on the left spine, which is where long sums grow
          let left: Expr = e;
          const rights: Expr[] = [];
          while (left.kind === 'bin' && left.op === '+') { rights.push(left.right); left = left.left; }
          flat(left);
          for (let k = rights.length - 1; k >= 0; k--) terms.push(rights[k]);
          return op('+', 'add', terms.map(conv));
        }
        const names: Record<string, string> = { '-': 'subtract', '*': 'multiply', '/': 'divide', '^': 'pow' };
        return op(e.op, names[e.op], [conv(e.left), conv(e.right)]);
      }
      case 'call': {
        const u = conv(e.arg);
        if (!elementary) return fn(e.fn, [u]);
        switch (e.fn) {
          case 'sigmoid': return op('/', 'divide', [C(1), op('+', 'add', [C(1), fn('exp', [op('-', 'unaryMinus', [u])])])]);
          case 'softplus': return fn('log', [op('+', 'add', [C(1), fn('exp', [u])])]);
          case 'relu': return op('/', 'divide', [op('+', 'add', [u, fn('abs', [u.cloneDeep()])]), C(2)]);
          case 'square': return op('^', 'pow', [u, C(2)]);
          case 'log2': return op('/', 'divide', [fn('log', [u]), fn('log', [C(2)])]);
          default: return fn(e.fn, [u]);
        }
      }
    }
  };
  return conv(root);
}

/**
 * Rewrites a mathjs tree into the form a person writes, without changing its
 * value: a + (−b) → a − b, x·3 → 3x (marked as an implicit product),
 * −(3w) → −3w, |u|/u → sign(u).
 */
export function tidy(m: MathJsInstance, root: MathNode): MathNode {
  const isConst = (n: MathNode): n is import('mathjs').ConstantNode => n.type === 'ConstantNode' && typeof (n as import('mathjs').ConstantNode).value === 'number';
  const value = (n: MathNode): number => (n as import('mathjs').ConstantNode).value as number;
  const isOp = (n: MathNode, fn: string): n is import('mathjs').OperatorNode => n.type === 'OperatorNode' && (n as import('mathjs').OperatorNode).fn === fn;
  const op = (o: string, fn: string, args: MathNode[], implicit = false): MathNode => new m.OperatorNode(o as '+', fn as 'add', args, implicit);
  const C = (v: number): MathNode => new m.ConstantNode(v);
  const simpleFactor = (n: MathNode): boolean => n.type === 'SymbolNode' || n.type === 'FunctionNode' || n.type === 'ParenthesisNode'
    || (isOp(n, 'pow') && (n.args[0].type === 'SymbolNode' || n.args[0].type === 'FunctionNode')) || isOp(n, 'add') || isOp(n, 'subtract');
  const once = (n: MathNode): MathNode => {
    // a loop's accumulator started at 0: 0 + x is x
    if (isOp(n, 'add') && n.args.some((a) => isConst(a) && value(a) === 0)) {
      const kept = n.args.filter((a) => !(isConst(a) && value(a) === 0));
      return kept.length === 0 ? C(0) : kept.length === 1 ? kept[0] : once(op('+', 'add', kept));
    }
    if (isOp(n, 'add') && n.args.length === 2) {
      const [a, b] = n.args;
      if (isOp(b, 'unaryMinus')) return op('-', 'subtract', [a, b.args[0]]);
      if (isConst(b) && value(b) < 0) return op('-', 'subtract', [a, C(-value(b))]);
      if (isOp(b, 'multiply') && isConst(b.args[0]) && value(b.args[0]) < 0) return op('-', 'subtract', [a, op('*', 'multiply', [C(-value(b.args[0])), b.args[1]], b.implicit)]);
    }
    if (isOp(n, 'subtract') && n.args.length === 2 && isConst(n.args[1]) && value(n.args[1]) < 0) return op('+', 'add', [n.args[0], C(-value(n.args[1]))]);
    if (isOp(n, 'multiply') && n.args.length === 2) {
      let [a, b] = n.args;
      if (isConst(b) && !isConst(a)) [a, b] = [b, a];
      if (isConst(a) && value(a) === 1) return b;
      if (isConst(a) && value(a) === -1) return op('-', 'unaryMinus', [b]);
      if (isConst(a) && simpleFactor(b)) return op('*', 'multiply', [a, b], true);
      return a === n.args[0] ? n : op('*', 'multiply', [a, b]);
    }
    if (isOp(n, 'unaryMinus') && isOp(n.args[0], 'multiply') && isConst(n.args[0].args[0])) {
      const inner = n.args[0];
      return op('*', 'multiply', [C(-value(inner.args[0])), inner.args[1]], inner.implicit);
    }
    if (isOp(n, 'divide')) {
      const [a, b] = n.args;
      if (a.type === 'FunctionNode' && (a as import('mathjs').FunctionNode).fn.toString() === 'abs' && (a as import('mathjs').FunctionNode).args[0].toString() === b.toString()) {
        return new m.FunctionNode(new m.SymbolNode('sign'), [b]);
      }
    }
    return n;
  };
  // bottom-up, so rewritten children are seen by their parents
  const walk = (n: MathNode): MathNode => once(n.map((c) => walk(c)));
  return walk(root);
}

/** Math text with implicit products written as a person does: 3w, 2(w − 3). */
function textOf(n: MathNode): string {
  return n.toString({ parenthesis: 'auto', implicit: 'hide' })
    .replace(/(\d) (?=[A-Za-z](?![A-Za-z\d_(])|\()/g, '$1') // 3w, 2(w − 3); 3 sech(u) keeps its space
    .replace(/ \^ /g, '^');
}

/** LaTeX with implicit products and no stray thin spaces; `sym` writes a symbol (mathjs would write w_0 as w\_0), σ is σ. */
function texOf(n: MathNode, sym: (name: string) => string): string {
  const handler = (node: MathNode): string | undefined => {
    const name = node.type === 'SymbolNode' ? (node as SymbolNode).name : undefined;
    // braced: mathjs writes the handler's text straight after \cdot
    if (name !== undefined && name !== 'e' && name !== 'pi') return `{${sym(name)}}`;
    return undefined;
  };
  return n.toTex({ parenthesis: 'auto', implicit: 'hide', handler }).replace(/(\d)~(?=[A-Za-z\\{(])/g, '$1');
}

/**
 * Loads mathjs and runs one small derivative, so the first hover does not pay
 * for it. The extension calls this a moment after activation, off the
 * activation path.
 */
export function warmUp(): void {
  const x: Expr = { kind: 'param', name: 'x', start: -1, end: -1 };
  symbolicGradient({ kind: 'bin', op: '^', left: x, right: { kind: 'num', value: 2, start: -1, end: -1 }, start: -1, end: -1 }, ['x']);
}

/**
 * A mathjs tree back into ours, for evaluation only: constants, the names
 * given (mathjs name → ours), e and π, + − × ÷ ^, and the functions of our
 * vocabulary (sec, csc, cot and their hyperbolic forms as reciprocals);
 * undefined for anything else.
 */
function fromMathjs(root: MathNode, names: ReadonlyMap<string, string>): Expr | undefined {
  const at = { start: 0, end: 0 };
  const num = (value: number): Expr => ({ kind: 'num', value, ...at });
  const bin = (op: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right, ...at });
  const RECIPROCAL: Record<string, (typeof UNARY_FUNCTIONS)[number]> = { sec: 'cos', csc: 'sin', cot: 'tan', sech: 'cosh', csch: 'sinh', coth: 'tanh' };
  const OPS: Record<string, '+' | '-' | '*' | '/' | '^'> = { add: '+', subtract: '-', multiply: '*', divide: '/', pow: '^' };
  let budget = 200_000;
  const conv = (n: MathNode, depth: number): Expr | undefined => {
    if (--budget < 0 || depth > 2_000) return undefined;
    const node = n as unknown as { type: string; value?: unknown; name?: string; content?: MathNode; fn?: unknown; args?: MathNode[] };
    switch (node.type) {
      case 'ConstantNode': return typeof node.value === 'number' ? num(node.value) : undefined;
      case 'SymbolNode': {
        const ours = names.get(node.name as string);
        if (ours !== undefined) return { kind: 'param', name: ours, ...at };
        return node.name === 'e' ? num(Math.E) : node.name === 'pi' ? num(Math.PI) : undefined;
      }
      case 'ParenthesisNode': return conv(node.content as MathNode, depth + 1);
      case 'OperatorNode': {
        const args = (node.args ?? []).map((a) => conv(a, depth + 1));
        if (args.some((a) => !a)) return undefined;
        const xs = args as Expr[];
        const fn = node.fn as string;
        if (fn === 'unaryMinus' && xs.length === 1) return { kind: 'neg', arg: xs[0], ...at };
        if (fn === 'unaryPlus' && xs.length === 1) return xs[0];
        const op = OPS[fn];
        if (!op || xs.length < 2 || (xs.length > 2 && op !== '+' && op !== '*')) return undefined;
        return xs.slice(1).reduce((l, r) => bin(op, l, r), xs[0]);
      }
      case 'FunctionNode': {
        const name = (node.fn as { name?: string } | undefined)?.name ?? '';
        if (node.args?.length !== 1) return undefined;
        const arg = conv(node.args[0], depth + 1);
        if (!arg) return undefined;
        if ((UNARY_FUNCTIONS as readonly string[]).includes(name)) return { kind: 'call', fn: name as (typeof UNARY_FUNCTIONS)[number], arg, ...at };
        if (RECIPROCAL[name]) return bin('/', num(1), { kind: 'call', fn: RECIPROCAL[name], arg, ...at });
        return undefined;
      }
      default: return undefined;
    }
  };
  return conv(root, 0);
}
