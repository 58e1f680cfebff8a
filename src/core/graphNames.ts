/**
 * What the Backprop view calls each node of a computational graph (#18.4),
 * in its boxes and its sentences (∂loss/∂z · ∂z/∂w = …). A name is the code's
 * when there is one, else short exact source text, else the operation over
 * its operands' names — and no two nodes share one: the source text
 * `np.dot(X[i], w)` is the whole dot product, its products X₀⁽ⁱ⁾ · w[0] and
 * X₁⁽ⁱ⁾ · w[1] are named by their operands, and any names still equal get an
 * occurrence number (#1, #2).
 */
import type { GraphJson } from './views';
import { fmt } from './format';
import { readable } from './notation';

type Node = GraphJson['nodes'][number];

/** Source text longer than this is not a name: the operation over its operands is. */
const TEXT_LIMIT = 24;
/** An operation over its operands' names longer than this is written with them left out (… + …). */
const FORM_LIMIT = 40;

/** The operation as written: `+`, `×`, `σ`, `(·)²`. */
const OPERATION: Record<string, string> = { add: '+', sub: '−', mul: '×', div: '÷', neg: '−(·)', pow: '(·)^', sigmoid: 'σ', square: '(·)²' };
/** Whether a name is more than one symbol: an operator outside brackets (a - 0.25, 1-y[i], -y[i]; np.dot(X[i], w) is one symbol). */
function compound(name: string): boolean {
  let depth = 0;
  for (const c of name.replace(/ #\d+$/, '')) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && '+−-·×*/'.includes(c)) return true;
  }
  return false;
}

const INFIX: Record<string, string> = { add: '+', sub: '−', mul: '·', div: '/' };
const PRECEDENCE: Record<string, number> = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4 };

/** A graph's node names: `name` in sentences, `title` on its box (≤ `width` characters where it can be). */
export interface GraphNames {
  name(id: number): string;
  /** the name after ∂: parenthesised when it is more than one symbol, ∂loss/∂(a - 0.25) */
  partial(id: number): string;
  title(id: number, width?: number): string;
  /** the operation as written (+, ×, σ, (·)²), '' for an input or a constant */
  operation(id: number): string;
}

/** `params`: the inputs that are parameters; the other inputs are a sample's data (y_i is y⁽ⁱ⁾). */
export function graphNames(g: Pick<GraphJson, 'nodes' | 'edges'>, params: readonly string[]): GraphNames {
  const operands = g.nodes.map(() => [] as number[]);
  const users = g.nodes.map(() => [] as number[]);
  for (const [a, b] of g.edges) { operands[b].push(a); users[a].push(b); }
  const operation = (id: number): string => {
    const n = g.nodes[id];
    if (n.op === 'input' || n.op === 'const') return '';
    if (n.op === 'pow') {
      const e = g.nodes[operands[id][1]];
      return e?.op === 'const' && e.value === 2 ? '(·)²' : e?.op === 'const' && e.value === 3 ? '(·)³' : '(·)^';
    }
    return OPERATION[n.op] ?? n.op;
  };
  // a node whose source text it shares with a node using it is part of that node's code (a product inside np.dot): named by its operands
  const inner = (n: Node): boolean => n.text !== null && users[n.id].some((u) => g.nodes[u].text === n.text && !g.nodes[u].label);
  const names: string[] = [];
  const wrapped = (id: number, parent: Node, right: boolean): string => {
    const inner2 = g.nodes[id];
    const s = names[id];
    const p = PRECEDENCE[inner2.op];
    const mine = PRECEDENCE[parent.op];
    const compound = !inner2.label && inner2.op !== 'const' && inner2.op !== 'input' && !/^[\p{L}\p{N}_.[\]⁽ⁱ⁾₀-₉]+$/u.test(s);
    const needs = compound && (p === undefined || mine === undefined || p < mine || (right && p === mine && (parent.op === 'sub' || parent.op === 'div')) || parent.op === 'pow');
    // a numbered name is one thing: (w * 2 #1) + (w * 2 #2)
    return needs || / #\d+$/.test(s) ? `(${s})` : s;
  };
  const structural = (n: Node): string => {
    const xs = operands[n.id];
    if (INFIX[n.op] && xs.length === 2) return `${wrapped(xs[0], n, false)} ${INFIX[n.op]} ${wrapped(xs[1], n, true)}`;
    if (n.op === 'pow' && xs.length === 2) {
      const e = g.nodes[xs[1]];
      return `${wrapped(xs[0], n, false)}${e.op === 'const' && e.value === 2 ? '²' : e.op === 'const' && e.value === 3 ? '³' : `^${wrapped(xs[1], n, true)}`}`;
    }
    if (n.op === 'neg' && xs.length === 1) return `−${wrapped(xs[0], n, false)}`;
    if (n.op === 'square' && xs.length === 1) return `${wrapped(xs[0], n, false)}²`;
    return `${n.op === 'sigmoid' ? 'σ' : n.op}(${xs.map((x) => names[x]).join(', ')})`;
  };
  // the operation with its operands left out, when neither the source nor the operands are short: … + …, σ(…), (…)²
  const elided = (n: Node): string => {
    if (INFIX[n.op]) return `… ${INFIX[n.op]} …`;
    const op = operation(n.id);
    return op.includes('·') ? op.replace('·', '…') : `${op}(…)`;
  };
  // the same source text on several nodes (a helper inlined twice): numbered in the order the forward pass meets them
  const asText = (n: Node): boolean => n.op !== 'input' && n.op !== 'const' && !n.label && n.text !== null && n.text.length <= TEXT_LIMIT && !inner(n);
  const byText = new Map<string, number[]>();
  for (const n of g.nodes) if (asText(n)) byText.set(n.text as string, [...(byText.get(n.text as string) ?? []), n.id]);
  const numbered = new Map<number, string>();
  for (const [text, ids] of byText) ids.forEach((id, k) => numbered.set(id, ids.length > 1 ? `${text} #${k + 1}` : text));
  // operands come before the nodes that use them (tape order), so one pass names every node
  for (const n of g.nodes) {
    if (n.op === 'input') names[n.id] = readable(n.label ?? 'input', params);
    else if (n.op === 'const') names[n.id] = fmt(n.value);
    else if (n.label) names[n.id] = n.label;
    else if (numbered.has(n.id)) names[n.id] = numbered.get(n.id) as string;
    else {
      const s = structural(n);
      names[n.id] = s.length <= FORM_LIMIT ? s : elided(n);
    }
  }
  // names still equal (two labels alike, operations on the same operands): numbered too
  const seen = new Map<string, number[]>();
  g.nodes.forEach((n) => { if (n.op !== 'const') seen.set(names[n.id], [...(seen.get(names[n.id]) ?? []), n.id]); });
  for (const [name, ids] of seen) if (ids.length > 1) ids.forEach((id, k) => { names[id] = `${name} #${k + 1}`; });

  const name = (id: number): string => names[id];
  return {
    name,
    operation,
    partial: (id) => (!g.nodes[id].label && compound(names[id]) ? `(${names[id]})` : names[id]),
    title: (id, width = 17) => {
      const n = g.nodes[id];
      // a named operation shows both: z = +, f_wb_i = σ
      if (n.label && n.op !== 'input') {
        const both = `${names[id]} = ${operation(id)}`;
        return both.length <= width ? both : names[id];
      }
      if (names[id].length <= width) return names[id];
      // too long for the box: the operation with its operands left out (the tooltip has the whole name), its occurrence number kept
      const number = / #\d+$/.exec(names[id])?.[0] ?? '';
      if (n.op !== 'input') return `${elided(n)}${number}`;
      return `${names[id].slice(0, width - 1)}…`;
    },
  };
}
