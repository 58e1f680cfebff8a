/**
 * How names and formulas are written for a person, in one place so the
 * hover, the panel, the command line and the Backprop view agree (#18.3).
 *
 * The rule:
 * - **text** (hover, command line, Backprop, the panel's plain lines) names a
 *   parameter as the code writes it — `w[0]`, the name the step table, the
 *   update lines, `--at` and the JSON use, and the one a learner can search
 *   their code for; ` · ` multiplies and `−` subtracts; integer powers are
 *   superscripts (x²).
 * - **TeX** (the panel's formulas) typesets that same name: an index or
 *   trailing digits become a subscript (`w[0]`, `w0` and `w_0` are all w₀),
 *   `f_wb` is f with subscript wb; variables italic, functions upright
 *   (σ, exp, ln, tanh), never a literal underscore.
 * - **samples** are x⁽ⁱ⁾, as the course writes them (y⁽ⁱ⁾; column 0 of a
 *   matrix X is X₀⁽ⁱ⁾), in text and TeX alike.
 *
 * mathjs cannot hold `w[0]` as a symbol, so the symbolic engine calls it
 * `w_0` (`mathjsName`); the machine text (the JSON's `gradient`) keeps that
 * form, and `readable` maps it back for people.
 */
import { fmt } from './format';

/** A vector parameter's component (`w[0]`) is the symbol `w_0` for mathjs, and in the JSON's formulas. */
export function mathjsName(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name) ? name : name.replace(/\[(\d+)\]/g, '_$1').replace(/[^\p{L}\p{N}_]/gu, '_');
}

/** A data symbol of a sample's term (fit.ts's dataSymbol: `y_i`, `X0_i` for column 0 of X): its column, or undefined. */
function sampleColumn(name: string): { base: string; index: string } | undefined {
  const m = /^(.+?)(\d*)_i$/.exec(name);
  return m ? { base: m[1], index: m[2] } : undefined;
}

const SUB_DIGITS = '₀₁₂₃₄₅₆₇₈₉';
const SUP_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const subscript = (digits: string): string => [...digits].map((d) => SUB_DIGITS[Number(d)]).join('');
const superscript = (digits: string): string => [...digits].map((d) => SUP_DIGITS[Number(d)]).join('');

/**
 * Machine math text (mathjs' syntax with `w_0`, `x_i`, `*`, `-`) as a person
 * reads it: `(σ(X0_i * w_0 + b) - y_i) * X0_i` with parameters w[0] and b is
 * `(σ(X₀⁽ⁱ⁾ · w[0] + b) − y⁽ⁱ⁾) · X₀⁽ⁱ⁾`.
 */
export function readable(text: string, params: readonly string[]): string {
  const code = new Map(params.map((p) => [mathjsName(p), p]));
  // a number whole (1e-7 keeps its exponent's sign); Σᵢ₌₁^6's bound stays as the Σ is written (Σᵢ₌₁^m has no superscript m)
  const token = /(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([\p{L}_][\p{L}\p{N}_]*)|( ?\* ?)|(-)|(?<!₁) ?\^ ?(\d+)(?![\d.(])/gu;
  return text.replace(token, (all, num?: string, name?: string, times?: string, minus?: string, power?: string) => {
    if (num !== undefined) return num;
    if (name !== undefined) {
      const p = code.get(name);
      if (p !== undefined) return p;
      const s = sampleColumn(name);
      return s ? `${s.base}${subscript(s.index)}⁽ⁱ⁾` : name;
    }
    if (times !== undefined) return times === '*' ? '·' : ' · ';
    if (minus !== undefined) return '−';
    if (power !== undefined) return superscript(power);
    return all;
  });
}

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Phi', 'Psi', 'Omega']);

/**
 * One word of a name in TeX: a Greek letter's name as the letter, one letter
 * as it is (italic, as a textbook's f and J), a longer word whole: upright for
 * a function's name (loss, as exp and ln), italic for a variable (net).
 */
function word(w: string, upright = false): string {
  if (GREEK.has(w)) return `\\${w}`;
  if ([...w].length === 1 || /^\d+$/.test(w)) return w;
  return upright ? `\\mathrm{${w}}` : `\\mathit{${w}}`;
}

/**
 * A name as TeX: `w[0]` → w_{0}, `W[1][2]` → W_{1,2}, `theta0` → \theta_{0},
 * `f_wb` → f_{wb}, `net_h1` → \mathit{net}_{h1}, a sample's `X0_i` →
 * X_{0}^{(i)}; a long snake_case name (`compute_cost`) is its words with a
 * thin space between them. `upright` for the name of a function (f, a cost),
 * italic otherwise. No underscore ever shows.
 */
export function texName(name: string, options: { upright?: boolean; sample?: boolean } = {}): string {
  const upright = options.upright ?? false;
  if (options.sample) {
    const s = sampleColumn(name);
    if (s) return `${texName(s.base)}${s.index ? `_{${s.index}}` : ''}^{(i)}`;
  }
  const indexed = /^([^[\]]+)((?:\[\s*\d+\s*(?:,\s*\d+\s*)*\])+)$/.exec(name);
  if (indexed) {
    const indices = indexed[2].match(/\d+/g) as string[];
    return `${texName(indexed[1], { upright })}_{${indices.join(',')}}`;
  }
  const [head, ...tail] = name.split('_').filter(Boolean);
  if (head === undefined) return '';
  const digits = /^(\D+?)(\d+)$/.exec(head);
  const base = digits ? digits[1] : head;
  // a short head takes the rest as its subscript, as f_{wb} and net_{h1}; a long one is a name in words
  if (tail.length && [...base].length > 3 && !GREEK.has(base)) return `\\mathrm{${[head, ...tail].map((w) => w.replace(/([&%$#{}])/g, '\\$1')).join('\\,')}}`;
  const subs = [...(digits ? [digits[2]] : []), ...tail].map((w) => word(w));
  return subs.length ? `${word(base, upright)}_{${subs.join(',')}}` : word(base, upright);
}

/** A symbol of the symbolic engine in TeX: a parameter under its code name, a data symbol as a sample, anything else as a name. */
export function symbolTex(symbol: string, params: ReadonlyMap<string, string>): string {
  const p = params.get(symbol);
  if (p !== undefined) return texName(p);
  return texName(symbol, { sample: true });
}

/**
 * A formula over m samples with m's value beside it, as a textbook gives it
 * (`(1/m) Σᵢ₌₁^m [...],  m = 97`); unchanged when it has no Σ over m or m is not bound.
 */
export function withSampleCount(formula: string, m: number | null | undefined, tex = false): string {
  if (!m || !(tex ? formula.includes('\\sum_{i=1}^{m}') : formula.includes('Σᵢ₌₁^m'))) return formula;
  return tex ? `${formula},\\quad m = ${m}` : `${formula},  m = ${m}`;
}

/**
 * ∂f/∂p as lines of text, as the hover and the command line write it: where the code names the
 * intermediates the partial goes through, its short form in those names first, then the chain rule
 * through them (with its factors at the point, when not under a Σ), then the form written out; else
 * the written-out form alone. Each with m's value beside a Σ over m bound samples.
 */
export function partialLines(f: string, p: string, symbolic: string | undefined, params: readonly string[], named?: { text: string; chainText?: string; chainValues?: number[] }, samples?: number | null): string[] {
  const lhs = `∂${f}/∂${p} = `;
  const line = (formula: string): string => withSampleCount(formula, samples);
  if (!named || symbolic === undefined) return [line(`${lhs}${symbolic === undefined ? '(symbolic form not computed)' : readable(symbolic, params)}`)];
  return [
    line(`${lhs}${readable(named.text, params)}`),
    ...(named.chainText ? [line(`by the chain rule: ${lhs}${readable(named.chainText, params)}${named.chainValues ? ` = ${named.chainValues.map(fmt).join(' · ')}` : ''}`)] : []),
    ...(named.text !== symbolic ? [line(`written out: ${lhs}${readable(symbolic, params)}`)] : []),
  ];
}
