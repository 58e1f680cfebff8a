/**
 * What statements do, seen without running them: the names they assign or
 * fill, whether they call a method (a training loop calls .backward()), and
 * which numbers written in a plain forward pass are its weights.
 */
import type { S, X } from './ir';
import { V, isNum } from './values';

/** The statements nested in a loop, a with block or either branch of an if; none for any other statement. */
export function nested(st: S): S[] {
  if (st.k === 'for' || st.k === 'with' || st.k === 'cfor') return st.body;
  return st.k === 'if' ? [...st.body, ...st.orelse] : [];
}

/** Whether statements call `.name(…)` anywhere (a training loop calls .backward()). */
export function callsMethod(body: S[], name: string): boolean {
  let found = false;
  const visitX = (x: X): void => {
    if (found) return;
    if (x.k === 'call') {
      if (x.fn.k === 'attr' && x.fn.name === name) { found = true; return; }
      visitX(x.fn); x.args.forEach(visitX);
    } else if (x.k === 'attr') visitX(x.obj);
    else if (x.k === 'bin') { visitX(x.l); visitX(x.r); }
  };
  const visitS = (st: S): void => {
    if (st.k === 'expr') visitX(st.x);
    else if (st.k === 'assign') visitX(st.value);
    else nested(st).forEach(visitS);
  };
  body.forEach(visitS);
  return found;
}

/** Names a weight or bias goes by in a hand-written forward pass: w, w1, w_1, W2, b_o, theta0, weight_h, bias2 (not beta, width). */
export const WEIGHT_NAME = /^(?:[wWbB]|theta|weight|bias)(?:_?\d+[a-z]?\d*|_[A-Za-z]\w*)?$/;

/** A number written as such: 0.15, -0.3. */
function literalNumber(x: X): boolean {
  return x.k === 'num' || (x.k === 'un' && (x.op === '-' || x.op === '+') && x.a.k === 'num');
}

/** Whether a name given a number in a plain-number forward pass is one of its parameters, or a number held as written. */
export type Role = 'parameter' | 'held';

/**
 * `w1, w2 = 0.15, 0.2` in a plain-number forward pass: each name given a written number is a parameter (a
 * leaf, as Value(0.15) is) or held, by the user's choice in `roles` first, else by its name (WEIGHT_NAME).
 * The names met are added to `names`: those the user may move between parameter and held.
 */
export function plainLeaves(target: X, x: X, v: V, roles: Record<string, Role>, names: Set<string>): V {
  if (target.k === 'name') {
    if (!literalNumber(x) || !isNum(v)) return v;
    names.add(target.name);
    return (roles[target.name] ?? (WEIGHT_NAME.test(target.name) ? 'parameter' : 'held')) === 'parameter' ? { t: 'leaf', value: v } : v;
  }
  if (target.k === 'list' && x.k === 'list' && v.t === 'arr' && target.items.length === x.items.length && v.items.length === x.items.length) {
    return { ...v, items: v.items.map((item, i) => plainLeaves(target.items[i], x.items[i], item, roles, names)) };
  }
  return v;
}

export function assignedNames(st: S): string[] {
  const out: string[] = [];
  const walk = (x: X): void => {
    if (x.k === 'name') out.push(x.name);
    else if (x.k === 'list') x.items.forEach(walk);
    // const { sigmoid, cost } = require(…): a JavaScript object pattern
    else if (x.k === 'obj') x.fields.forEach((f) => walk(f.value));
  };
  if (st.k === 'assign') walk(st.target);
  if (st.k === 'def' || st.k === 'class') out.push(st.name);
  if (st.k === 'for') walk(st.target);
  return out;
}

/** Names a block assigns or grows (`xs.append(…)`) inside its loops and with blocks. */
export function filledNames(st: S): string[] {
  const out: string[] = [];
  const visit = (s: S): void => {
    if (s.k === 'for' || s.k === 'with' || s.k === 'cfor') {
      if (s.k === 'for') out.push(...assignedNames(s));
      (s.k === 'with' ? (s.targets ?? []) : []).forEach((t) => { if (t?.k === 'name') out.push(t.name); });
      s.body.forEach(visit);
    } else if (s.k === 'if') nested(s).forEach(visit);
    else if (s.k === 'assign') out.push(...assignedNames(s));
    else if (s.k === 'expr' && s.x.k === 'call' && s.x.fn.k === 'attr' && ['append', 'extend', 'push'].includes(s.x.fn.name) && s.x.fn.obj.k === 'name') out.push(s.x.fn.obj.name);
  };
  if (st.k === 'for' || st.k === 'with' || st.k === 'cfor' || st.k === 'if') visit(st);
  return out;
}

/** Every name a statement reads (for loops and nested blocks included). */
export function readNames(st: S, into: Set<string>): void {
  const x = (e: X | undefined): void => { if (e) namesIn(e, into); };
  switch (st.k) {
    case 'assign': x(st.value); if (st.target.k !== 'name') x(st.target); if (st.op && st.target.k === 'name') into.add(st.target.name); break;
    case 'expr': x(st.x); break;
    case 'return': x(st.x); break;
    case 'for': x(st.iter); st.body.forEach((b) => readNames(b, into)); break;
    case 'cfor': st.init.forEach((b) => readNames(b, into)); x(st.test); st.update.forEach((b) => readNames(b, into)); st.body.forEach((b) => readNames(b, into)); break;
    case 'with': st.items.forEach(x); st.body.forEach((b) => readNames(b, into)); break;
    case 'if': x(st.test); nested(st).forEach((b) => readNames(b, into)); break;
    case 'def': if (Array.isArray(st.body)) st.body.forEach((b) => readNames(b, into)); else x(st.body); break;
    default: break;
  }
}

/** Every name an expression reads. */
export function namesIn(e: X, into: Set<string>): void {
  const go = (n: X): void => namesIn(n, into);
  switch (e.k) {
    case 'name': into.add(e.name); break;
    case 'attr': go(e.obj); break;
    case 'index': go(e.obj); e.idx.forEach(go); break;
    case 'slice': if (e.lo) go(e.lo); if (e.hi) go(e.hi); break;
    case 'call': go(e.fn); e.args.forEach(go); e.kw.forEach((k) => go(k.value)); break;
    case 'bin': go(e.l); go(e.r); break;
    case 'un': go(e.a); break;
    case 'list': e.items.forEach(go); break;
    case 'obj': e.fields.forEach((f) => go(f.value)); break;
    case 'gen': go(e.elt); e.fors.forEach((f) => go(f.iter)); e.conds.forEach(go); break;
    case 'cond': go(e.test); go(e.a); go(e.b); break;
    case 'spread': go(e.a); break;
    case 'lambda': if (Array.isArray(e.body)) e.body.forEach((b) => readNames(b, into)); else go(e.body); break;
    default: break;
  }
}
