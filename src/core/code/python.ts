/**
 * Python (Lezer syntax tree) → the program tree of ir.ts.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { Param, S, X } from './ir';
import { Reuse, TreeReader } from './reader';

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', 'Comment']);

export function pythonProgram(tree: Tree, doc: string, reuse?: Reuse): { body: S[]; topLevel: Map<string, S[]> } {
  const r = new PythonReader(doc, reuse);
  return { body: r.block(tree.topNode), topLevel: r.topLevel };
}

/** A decimal without underscores, a leading zero before digits or a j: Number() reads it as Python does. */
const PLAIN_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?$|^\.\d+(?:[eE][+-]?\d+)?$/;

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

class PythonReader extends TreeReader {
  block(n: SyntaxNode): S[] {
    const out: S[] = [];
    for (const c of kids(n)) {
      if (c.name === ':' || c.name === ';' || c.name === 'Comment') continue;
      out.push(...(n.parent ? this.stmt(c) : this.top(c, (x) => this.stmt(x))));
    }
    return out;
  }

  stmt(n: SyntaxNode): S[] {
    const sp = this.span(n);
    const ks = kids(n);
    switch (n.name) {
      case 'StatementGroup':
        return ks.filter((c) => c.name !== ';').flatMap((c) => this.stmt(c));
      case 'ExpressionStatement':
        return [{ ...sp, k: 'expr', x: this.expr(ks[0]) }];
      case 'PassStatement':
        return [{ ...sp, k: 'pass' }];
      case 'ReturnStatement': {
        const rest = ks.slice(1);
        return [{ ...sp, k: 'return', x: rest.length ? this.exprList(rest, n) : undefined }];
      }
      case 'AssignStatement': {
        const ops = ks.map((c, i) => (c.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
        if (ops.length === 0) {
          // a bare annotation `x: int`
          return [{ ...sp, k: 'pass' }];
        }
        const value = this.exprList(ks.slice(ops[ops.length - 1] + 1), n);
        const out: S[] = [];
        let from = 0;
        for (const o of ops) {
          let part = ks.slice(from, o);
          // `x: float = 1` — drop the annotation
          const colon = part.findIndex((c) => c.name === 'TypeDef' || c.name === ':');
          if (colon >= 0) part = part.slice(0, colon);
          out.push({ ...sp, k: 'assign', target: this.exprList(part, n), value });
          from = o + 1;
        }
        return out;
      }
      case 'UpdateStatement': {
        const opIdx = ks.findIndex((c) => c.name === 'UpdateOp');
        const op = this.text(ks[opIdx]).slice(0, -1);
        return [{ ...sp, k: 'assign', target: this.exprList(ks.slice(0, opIdx), n), value: this.exprList(ks.slice(opIdx + 1), n), op }];
      }
      case 'ForStatement': {
        const inIdx = ks.findIndex((c) => c.name === 'in');
        const body = ks.find((c) => c.name === 'Body');
        if (inIdx < 0 || !body) return [this.bad(n, 'an unfinished for loop', "finish the loop: 'for i in range(m):'")];
        return [{
          ...sp, k: 'for',
          target: this.exprList(ks.slice(1, inIdx), n),
          iter: this.exprList(ks.slice(inIdx + 1).filter((c) => c.name !== 'Body'), n),
          body: this.block(body),
        }];
      }
      case 'FunctionDefinition':
        return this.definition(n, { name: 'VariableName', params: 'ParamList', body: 'Body' }, 'an unfinished def', "finish the definition: 'def f(w): return (w - 3)**2'");
      case 'ClassDefinition': {
        const name = ks.find((c) => c.name === 'VariableName');
        const args = ks.find((c) => c.name === 'ArgList');
        const body = ks.find((c) => c.name === 'Body');
        if (!name || !body) return [this.bad(n, 'an unfinished class', 'finish the class definition')];
        return [{ ...sp, k: 'class', name: this.text(name), nameSpan: this.span(name), bases: args ? this.args(args).args : [], body: this.block(body) }];
      }
      case 'DecoratedStatement': {
        const inner = ks.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        return inner ? this.stmt(inner) : [];
      }
      case 'ImportStatement': {
        const isFrom = ks[0]?.name === 'from';
        if (!isFrom) {
          // import a.b.c as d  |  import a, b
          const asIdx = ks.findIndex((c) => c.name === 'as');
          if (asIdx >= 0) {
            const mod = ks.slice(1, asIdx).filter((c) => c.name === 'VariableName').map((c) => this.text(c)).join('.');
            return [{ ...sp, k: 'import', module: mod, alias: this.text(ks[asIdx + 1]) }];
          }
          const mods: string[] = [];
          let cur: string[] = [];
          for (const c of ks.slice(1)) {
            if (c.name === 'VariableName') cur.push(this.text(c));
            else if (c.name === ',') { mods.push(cur.join('.')); cur = []; }
          }
          if (cur.length) mods.push(cur.join('.'));
          return mods.map((m) => ({ ...sp, k: 'import' as const, module: m, alias: m.split('.')[0] === m ? m : undefined, names: m.includes('.') ? [{ name: m.split('.')[0], alias: m.split('.')[0] }] : undefined }))
            .map((s) => (s.module.includes('.') ? { ...sp, k: 'import' as const, module: s.module.split('.')[0], alias: s.module.split('.')[0] } : s));
        }
        const impIdx = ks.findIndex((c) => c.name === 'import');
        const mod = ks.slice(1, impIdx).map((c) => this.text(c)).join('');
        const list: Array<{ name: string; alias: string }> = [];
        const rest = ks.slice(impIdx + 1);
        for (let i = 0; i < rest.length; i++) {
          if (rest[i].name !== 'VariableName') continue;
          const nm = this.text(rest[i]);
          if (rest[i + 1]?.name === 'as' && rest[i + 2]) { list.push({ name: nm, alias: this.text(rest[i + 2]) }); i += 2; } else list.push({ name: nm, alias: nm });
        }
        return [{ ...sp, k: 'import', module: mod, names: list }];
      }
      case 'WithStatement': {
        const body = ks.find((c) => c.name === 'Body');
        // `with open(f) as g, …:` → items [open(f), …] and their targets [g, …]
        const items: X[] = [];
        const targets: Array<X | undefined> = [];
        const parts = ks.filter((c) => c.name !== 'with' && c.name !== 'Body' && !PUNCT.has(c.name));
        for (let i = 0; i < parts.length; i++) {
          if (parts[i].name === 'as') continue;
          if (parts[i + 1]?.name === 'as' && parts[i + 2]) { items.push(this.expr(parts[i])); targets.push(this.expr(parts[i + 2])); i += 2; continue; }
          items.push(this.expr(parts[i]));
          targets.push(undefined);
        }
        return [{ ...sp, k: 'with', items, targets, body: body ? this.block(body) : [] }];
      }
      case 'IfStatement': {
        // if test: Body (elif test: Body)* (else: Body)? — each elif the else of the one before
        const parts = ks.filter((c) => !PUNCT.has(c.name));
        const branches: Array<{ test: X; body: S[] }> = [];
        let orelse: S[] = [];
        for (let i = 0; i < parts.length; i++) {
          const c = parts[i];
          if ((c.name === 'if' || c.name === 'elif') && parts[i + 1] && parts[i + 2]?.name === 'Body') {
            branches.push({ test: this.expr(parts[i + 1]), body: this.block(parts[i + 2]) });
            i += 2;
          } else if (c.name === 'else' && parts[i + 1]?.name === 'Body') {
            orelse = this.block(parts[i + 1]);
            i += 1;
          } else return [this.bad(n, 'an unfinished if statement', "finish it: 'if m == 0:' and an indented block")];
        }
        if (branches.length === 0) return [this.bad(n, 'an unfinished if statement', "finish it: 'if m == 0:' and an indented block")];
        return branches.reduceRight<S[]>((rest, b) => [{ ...sp, k: 'if', test: b.test, body: b.body, orelse: rest }], orelse);
      }
      case 'WhileStatement': {
        const body = ks.find((c) => c.name === 'Body');
        const test = ks[1];
        if (!body || !test || test === body) return [this.bad(n, 'an unfinished while loop', "finish the loop: 'while i < m:'")];
        if (ks.some((c) => c.name === 'else')) return [this.bad(n, 'a while loop with an else clause', "loop over data with 'for i in range(m)'")];
        return [{ ...sp, k: 'cfor', init: [], test: this.expr(test), update: [], body: this.block(body), while: true }];
      }
      case 'TryStatement':
        return [this.bad(n, 'a try statement', 'only assignments, for loops over data and a return statement can be read')];
      case 'Body':
        return this.block(n);
      default:
        if (n.type.isError) return [this.bad(n, 'text that is not valid Python', 'check the syntax on this line')];
        if (/Statement$/.test(n.name)) return [this.bad(n, `a ${n.name.replace(/Statement$/, '').toLowerCase()} statement`, 'only assignments, for loops over data and a return statement can be read')];
        return [{ ...sp, k: 'expr', x: this.expr(n) }];
    }
  }

  /** `a, b` (a tuple without parentheses) or one expression. */
  private exprList(ns: SyntaxNode[], parent: SyntaxNode): X {
    const items = ns.filter((c) => c.name !== ',' && c.name !== 'Comment');
    if (items.length === 1 && !ns.some((c) => c.name === ',')) return this.expr(items[0]);
    if (items.length === 0) return { start: parent.to, end: parent.to, k: 'bad', what: 'a missing expression' };
    return { start: items[0].from, end: items[items.length - 1].to, k: 'list', tuple: true, items: items.map((c) => this.expr(c)) };
  }

  params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    const ks = kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    let kind: Param['kind'] = 'plain';
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i];
      if (c.name === ',') { kind = 'plain'; continue; }
      if (c.name === '*' || c.name === '**') {
        const next = ks[i + 1];
        if (!next || next.name === ',') { out.push({ start: c.from, end: c.to, name: '*', kind: 'marker' }); continue; }
        kind = c.name === '*' ? 'star' : 'kwstar';
        continue;
      }
      if (c.name === '/') continue;
      if (c.name === 'VariableName') {
        const p: Param = { start: c.from, end: c.to, name: this.text(c), kind };
        let j = i + 1;
        if (ks[j]?.name === 'TypeDef') j++;
        if (ks[j]?.name === 'AssignOp' && ks[j + 1]) { p.default = this.expr(ks[j + 1]); j += 2; }
        out.push(p);
        i = j - 1;
        continue;
      }
      if (c.name === 'TypeDef') continue;
    }
    return out;
  }

  args(n: SyntaxNode): { args: X[]; kw: Array<{ name: string; value: X }>; gen?: X } {
    const ks = kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    const forIdx = ks.findIndex((c) => c.name === 'for');
    if (forIdx >= 0) {
      return { args: [this.comprehension(ks, n, false)], kw: [] };
    }
    const args: X[] = [];
    const kw: Array<{ name: string; value: X }> = [];
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i];
      if (c.name === ',') continue;
      if (c.name === 'VariableName' && ks[i + 1]?.name === 'AssignOp' && ks[i + 2]) {
        kw.push({ name: this.text(c), value: this.expr(ks[i + 2]) });
        i += 2;
        continue;
      }
      if (c.name === '*' || c.name === '**') {
        const a = ks[i + 1];
        if (a) args.push({ start: c.from, end: a.to, k: 'spread', a: this.expr(a) });
        i++;
        continue;
      }
      args.push(this.expr(c));
    }
    return { args, kw };
  }

  /** elt for targets in iter [for … in …] [if cond] */
  private comprehension(ks: SyntaxNode[], n: SyntaxNode, list: boolean): X {
    const forIdx = ks.findIndex((c) => c.name === 'for');
    if (forIdx < 0) return { ...this.span(n), k: 'bad', what: 'an unfinished comprehension' };
    const elt = this.exprList(ks.slice(0, forIdx), n);
    const fors: Array<{ target: X; iter: X }> = [];
    const conds: X[] = [];
    let i = forIdx;
    while (i < ks.length) {
      if (ks[i].name === 'for') {
        const inIdx = ks.findIndex((c, j) => j > i && c.name === 'in');
        let end = ks.findIndex((c, j) => j > inIdx && (c.name === 'for' || c.name === 'if'));
        if (end < 0) end = ks.length;
        if (inIdx < 0) break;
        fors.push({ target: this.exprList(ks.slice(i + 1, inIdx), n), iter: this.exprList(ks.slice(inIdx + 1, end), n) });
        i = end;
      } else if (ks[i].name === 'if') {
        let end = ks.findIndex((c, j) => j > i && (c.name === 'for' || c.name === 'if'));
        if (end < 0) end = ks.length;
        conds.push(this.exprList(ks.slice(i + 1, end), n));
        i = end;
      } else i++;
    }
    return { ...this.span(n), k: 'gen', elt, fors, conds, list };
  }

  expr(n: SyntaxNode): X {
    const sp = this.span(n);
    const ks = kids(n);
    switch (n.name) {
      case 'Number': {
        const plain = this.text(n);
        // most numbers are plain decimals (a notebook's data: thousands of them), read without the checks below
        if (PLAIN_DECIMAL.test(plain)) return { ...sp, k: 'num', v: Number(plain) };
        const t = plain.replace(/_/g, '');
        // as Python 3 reads it: a decimal integer may not start with 0 (0755 is not octal; 0o755 is)
        if (/^0+[0-9]*[1-9][0-9]*$/.test(t)) return { ...sp, k: 'bad', what: t, message: `${t} is a syntax error in Python 3 (a decimal number cannot start with 0): write 0o${t.replace(/^0+/, '')} for an octal number or ${t.replace(/^0+/, '')}` };
        const v = /^0[xob]/i.test(t) ? Number(t) : Number(t.replace(/[jJ]$/, ''));
        if (/[jJ]$/.test(t)) return { ...sp, k: 'bad', what: 'a complex number' };
        return { ...sp, k: 'num', v };
      }
      case 'String': case 'FormatString': case 'ContinuedString': {
        const t = this.text(n);
        const m = /^[a-zA-Z]*("""|'''|"|')([\s\S]*)\1$/.exec(t);
        // an f-string's replacement fields: print(f"loss = {(w*x + b - y)**2}") shows a formula
        const fields = n.name === 'FormatString' ? ks.filter((c) => c.name === 'FormatReplacement').map((c) => c.firstChild?.nextSibling).filter((c): c is SyntaxNode => !!c && !PUNCT.has(c.name) && c.name !== 'FormatSpec') : [];
        return { ...sp, k: 'str', v: m ? m[2] : t, ...(fields.length ? { parts: fields.map((c) => this.expr(c)) } : {}) };
      }
      case 'Boolean': return { ...sp, k: 'bool', v: this.text(n) === 'True' };
      case 'None': return { ...sp, k: 'none' };
      case 'VariableName': return { ...sp, k: 'name', name: this.text(n) };
      case 'ParenthesizedExpression': {
        const inner = ks.filter((c) => c.name !== '(' && c.name !== ')');
        if (inner.length === 1) return this.expr(inner[0]);
        return { ...sp, k: 'bad', what: 'an empty pair of parentheses' };
      }
      case 'TupleExpression': case 'ArrayExpression': case 'SetExpression': {
        const inner = ks.filter((c) => !PUNCT.has(c.name));
        return { ...sp, k: 'list', tuple: n.name === 'TupleExpression', items: inner.map((c) => this.expr(c)) };
      }
      case 'ArrayComprehensionExpression': case 'ComprehensionExpression': case 'SetComprehensionExpression':
        return this.comprehension(ks.filter((c) => !['(', ')', '[', ']', '{', '}'].includes(c.name)), n, n.name !== 'ComprehensionExpression');
      case 'DictionaryExpression': {
        const inner = ks.filter((c) => !['{', '}', ','].includes(c.name));
        const fields: Array<{ key: string; value: X }> = [];
        for (let i = 0; i + 2 < inner.length + 1; i += 3) {
          const key = this.expr(inner[i]);
          if (inner[i + 1]?.name !== ':' || !inner[i + 2]) break;
          fields.push({ key: key.k === 'str' ? key.v : key.k === 'num' ? String(key.v) : '?', value: this.expr(inner[i + 2]) });
        }
        return { ...sp, k: 'obj', fields };
      }
      case 'MemberExpression': {
        const obj = ks[0];
        if (ks[1]?.name === '.') {
          const prop = ks[2];
          // Lezer reads `1.` (a float with nothing after the point) as a member access.
          if (obj.name === 'Number' && (!prop || prop.type.isError)) return { ...sp, k: 'num', v: Number(this.text(obj)) };
          if (!prop || prop.type.isError) return { ...sp, k: 'bad', what: 'an unfinished attribute access' };
          return { ...sp, k: 'attr', obj: this.expr(obj), name: this.text(prop) };
        }
        // subscript: obj [ a , b ]  with `:` slices
        const inner = ks.slice(2, -1);
        const idx: X[] = [];
        let cur: SyntaxNode[] = [];
        const flush = (): void => {
          const colon = cur.findIndex((c) => c.name === ':');
          if (colon >= 0) {
            const lo = cur.slice(0, colon);
            const hi = cur.slice(colon + 1).filter((c) => c.name !== ':');
            const at = cur[colon];
            idx.push({ start: at.from, end: at.to, k: 'slice', lo: lo.length ? this.expr(lo[0]) : undefined, hi: hi.length ? this.expr(hi[0]) : undefined });
          } else if (cur.length) idx.push(this.expr(cur[0]));
          cur = [];
        };
        for (const c of inner) {
          if (c.name === ',') flush();
          else cur.push(c);
        }
        flush();
        return { ...sp, k: 'index', obj: this.expr(obj), idx };
      }
      case 'CallExpression': {
        const fn = ks[0];
        const argList = ks.find((c) => c.name === 'ArgList');
        const a = argList ? this.args(argList) : { args: [], kw: [] };
        return { ...sp, k: 'call', fn: this.expr(fn), args: a.args, kw: a.kw };
      }
      case 'BinaryExpression': {
        const [l, op, r] = ks;
        if (!l || !op || !r) return { ...sp, k: 'bad', what: 'an unfinished expression' };
        let o = this.text(op).trim();
        if (o === 'not in') o = 'not in';
        return { ...sp, k: 'bin', op: o, l: this.expr(l), r: this.expr(r), opAt: op.from };
      }
      case 'UnaryExpression': {
        const [op, a] = ks;
        if (!op || !a) return { ...sp, k: 'bad', what: 'an unfinished expression' };
        return { ...sp, k: 'un', op: this.text(op) === 'not' ? '!' : this.text(op), a: this.expr(a) };
      }
      case 'ConditionalExpression': {
        // a if test else b
        const parts = ks.filter((c) => c.name !== 'if' && c.name !== 'else');
        if (parts.length !== 3) return { ...sp, k: 'bad', what: 'an unfinished conditional expression' };
        return { ...sp, k: 'cond', a: this.expr(parts[0]), test: this.expr(parts[1]), b: this.expr(parts[2]) };
      }
      case 'LambdaExpression': {
        const pl = ks.find((c) => c.name === 'ParamList');
        const colon = ks.findIndex((c) => c.name === ':');
        const body = ks[colon + 1];
        if (!body) return { ...sp, k: 'bad', what: 'an unfinished lambda' };
        return { ...sp, k: 'lambda', params: pl ? this.params(pl) : [], body: this.expr(body) };
      }
      case 'AwaitExpression': case 'YieldExpression':
        return { ...sp, k: 'bad', what: n.name === 'AwaitExpression' ? 'await' : 'yield' };
      default:
        if (n.type.isError) return { ...sp, k: 'bad', what: 'text that is not valid Python' };
        return { ...sp, k: 'bad', what: `${n.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} '${this.text(n).slice(0, 30)}'` };
    }
  }
}
