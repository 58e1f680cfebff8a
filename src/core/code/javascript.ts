/**
 * JavaScript / TypeScript (Lezer syntax tree) → the program tree of ir.ts.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { Param, S, Span, X, isName } from './ir';
import { Reuse, TreeReader } from './reader';

const SKIP = new Set(['(', ')', '[', ']', '{', '}', ',', ';', 'LineComment', 'BlockComment', '⚠']);

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment' && c.name !== 'BlockComment') out.push(c);
  return out;
}

export function javascriptProgram(tree: Tree, doc: string, reuse?: Reuse): { body: S[]; topLevel: Map<string, S[]> } {
  const r = new JsReader(doc, reuse);
  return { body: r.block(tree.topNode), topLevel: r.topLevel };
}

class JsReader extends TreeReader {
  block(n: SyntaxNode): S[] {
    return kids(n).filter((c) => !SKIP.has(c.name)).flatMap((c) => (n.parent ? this.stmt(c) : this.top(c, (x) => this.stmt(x))));
  }

  stmt(n: SyntaxNode): S[] {
    const sp = this.span(n);
    const ks = kids(n);
    switch (n.name) {
      case 'ExportDeclaration':
        return ks.filter((c) => c.name !== 'export' && c.name !== 'default' && !SKIP.has(c.name)).flatMap((c) => (/Declaration$/.test(c.name) ? this.stmt(c) : [{ ...sp, k: 'expr' as const, x: this.expr(c) }]));
      case 'VariableDeclaration':
        return this.declarations(n);
      case 'FunctionDeclaration':
        return this.definition(n, { name: 'VariableDefinition', params: 'ParamList', body: 'Block' }, 'an unfinished function', 'finish the function: function f(w) { return (w - 3) ** 2; }');
      case 'ExpressionStatement': {
        const e = ks.find((c) => !SKIP.has(c.name));
        return e ? this.exprStmt(e) : [];
      }
      case 'ReturnStatement': {
        const e = ks.find((c) => c.name !== 'return' && !SKIP.has(c.name));
        return [{ ...sp, k: 'return', x: e ? this.expr(e) : undefined }];
      }
      case 'Block':
        return this.block(n);
      case 'ForStatement': {
        const spec = ks.find((c) => /^For(Of|In)?Spec$/.test(c.name));
        const bodyNode = ks[ks.length - 1];
        const body = bodyNode && bodyNode !== spec ? this.stmt(bodyNode) : [];
        if (!spec) return [this.bad(n, 'an unfinished for loop', 'finish the loop')];
        const sk = kids(spec);
        if (spec.name === 'ForOfSpec') {
          const of = sk.findIndex((c) => c.name === 'of');
          const target = sk.slice(0, of).find((c) => !['let', 'const', 'var', '('].includes(c.name));
          const iter = sk.slice(of + 1).find((c) => !SKIP.has(c.name));
          if (!target || !iter) return [this.bad(n, 'an unfinished for…of loop', 'finish the loop')];
          return [{ ...sp, k: 'for', target: this.pattern(target), iter: this.expr(iter), body }];
        }
        if (spec.name === 'ForInSpec') return [this.bad(n, 'a for…in loop', 'loop over the values with for…of or over indices with for (let i = 0; i < xs.length; i++)')];
        // for (init; test; update)
        const parts: SyntaxNode[][] = [[]];
        for (const c of sk) {
          if (c.name === ';') parts.push([]);
          else if (c.name !== '(' && c.name !== ')') parts[parts.length - 1].push(c);
        }
        // a VariableDeclaration swallows its own `;`
        if (parts.length === 2 && parts[0][0]?.name === 'VariableDeclaration') parts.unshift([parts[0].shift() as SyntaxNode]);
        const [init = [], test = [], update = []] = parts;
        return [{
          ...sp, k: 'cfor',
          init: init.flatMap((c) => (c.name === 'VariableDeclaration' ? this.declarations(c) : this.exprStmt(c))),
          test: test[0] ? this.expr(test[0]) : undefined,
          update: update.flatMap((c) => this.exprStmt(c)),
          body,
        }];
      }
      case 'ImportDeclaration': {
        const from = ks.findIndex((c) => c.name === 'from');
        const strNode = ks.find((c) => c.name === 'String');
        const module = strNode ? this.text(strNode).slice(1, -1) : '';
        const star = ks.findIndex((c) => c.name === 'Star');
        if (star >= 0) {
          const alias = ks.slice(star).find((c) => c.name === 'VariableDefinition');
          return [{ ...sp, k: 'import', module, alias: alias ? this.text(alias) : undefined }];
        }
        const names: Array<{ name: string; alias: string }> = [];
        const head = ks.slice(1, from < 0 ? ks.length : from);
        let def: string | undefined;
        const walk = (c: SyntaxNode, inBraces: boolean): void => {
          if (c.name === 'VariableDefinition') {
            if (inBraces) names.push({ name: this.text(c), alias: this.text(c) });
            else def = this.text(c);
          } else if (c.name === 'ImportGroup') {
            const g = kids(c).filter((x) => !SKIP.has(x.name));
            for (let i = 0; i < g.length; i++) {
              const nm = this.text(g[i]);
              if (g[i + 1]?.name === 'as' && g[i + 2]) { names.push({ name: nm, alias: this.text(g[i + 2]) }); i += 2; } else names.push({ name: nm, alias: nm });
            }
          }
        };
        for (const c of head) walk(c, false);
        const out: S[] = [];
        if (def) out.push({ ...sp, k: 'import', module, alias: def });
        if (names.length) out.push({ ...sp, k: 'import', module, names });
        return out;
      }
      case 'IfStatement': {
        // if (test) statement [else statement] — an else if is an if statement in the else
        const t = ks.findIndex((c) => c.name === 'ParenthesizedExpression');
        const then = t >= 0 ? ks[t + 1] : undefined;
        const e = ks.findIndex((c) => c.name === 'else');
        if (t < 0 || !then || then.name === 'else' || (e >= 0 && !ks[e + 1])) return [this.bad(n, 'an unfinished if statement', 'finish it: if (m === 0) { return 0; }')];
        return [{ ...sp, k: 'if', test: this.expr(ks[t]), body: this.stmt(then), orelse: e >= 0 ? this.stmt(ks[e + 1]) : [] }];
      }
      case 'WhileStatement': {
        const test = ks.find((c) => c.name === 'ParenthesizedExpression');
        const bodyNode = ks[ks.length - 1];
        if (!test || !bodyNode || bodyNode === test) return [this.bad(n, 'an unfinished while loop', 'finish the loop: while (i < xs.length) { … }')];
        return [{ ...sp, k: 'cfor', init: [], test: this.expr(test), update: [], body: this.stmt(bodyNode), while: true }];
      }
      case 'DoStatement':
        return [this.bad(n, 'a do…while loop', 'loop over data with for…of or for (let i = 0; i < xs.length; i++)')];
      case 'TypeAliasDeclaration': case 'InterfaceDeclaration': case 'EnumDeclaration': case 'AmbientDeclaration':
        return [];
      case 'ClassDeclaration':
        return this.classDeclaration(n);
      default:
        if (n.type.isError) return [this.bad(n, 'text that is not valid JavaScript', 'check the syntax on this line')];
        if (/Statement$/.test(n.name)) return [this.bad(n, `a ${n.name.replace(/Statement$/, '').toLowerCase()} statement`, 'only declarations, for loops over data and a return statement can be read')];
        return this.exprStmt(n);
    }
  }

  /**
   * `class M { static loss(w) {…} cost(w) {…} }`: methods as defs the way Python writes them, so one
   * interpreter reads both — an instance method takes `this` as its first parameter, the constructor is
   * `__init__`, and what the constructor stores (field initialisers, TypeScript's `constructor(private xs)`)
   * becomes assignments to `this.…` at its start.
   */
  private classDeclaration(n: SyntaxNode): S[] {
    const ks = kids(n);
    const name = ks.find((c) => c.name === 'VariableDefinition');
    const body = ks.find((c) => c.name === 'ClassBody');
    if (!name || !body) return [this.bad(n, 'an unfinished class', 'finish the class definition')];
    const thisName = (at: SyntaxNode): X => ({ start: at.from, end: at.from, k: 'name', name: 'this' });
    const stored = (at: SyntaxNode, key: string, value: X): S => ({ ...this.span(at), k: 'assign', target: { ...this.span(at), k: 'attr', obj: thisName(at), name: key }, value });
    const fields: S[] = [];
    const methods: Array<S & { k: 'def' }> = [];
    for (const m of kids(body)) {
      const mk = kids(m);
      const isStatic = mk.some((c) => c.name === 'static');
      const key = mk.find((c) => c.name === 'PropertyDefinition');
      if (!key) continue;
      if (m.name === 'PropertyDeclaration') {
        const eq = mk.findIndex((c) => c.name === 'Equals');
        // a static field belongs to the class, not to what a method reads through `this`
        if (!isStatic && eq >= 0 && mk[eq + 1]) fields.push(stored(m, this.text(key), this.expr(mk[eq + 1])));
        continue;
      }
      if (m.name !== 'MethodDeclaration') continue;
      const pl = mk.find((c) => c.name === 'ParamList');
      const block = mk.find((c) => c.name === 'Block');
      if (!pl || !block) continue;
      const params = this.params(pl);
      let stmts = this.block(block);
      const isInit = this.text(key) === 'constructor';
      if (isInit) {
        // constructor(private xs: number[]): a parameter that is also a field
        const pk = kids(pl);
        const props = pk.filter((c, i) => c.name === 'VariableDefinition' && (pk[i - 1]?.name === 'Privacy' || /^readonly$/.test(this.text(pk[i - 1] ?? c))));
        stmts = [...props.map((c) => stored(c, this.text(c), { ...this.span(c), k: 'name', name: this.text(c) })), ...stmts];
      }
      const self = { start: key.from, end: key.from, name: 'this', kind: 'plain' as const };
      methods.push({ ...this.span(m), k: 'def', name: isInit ? '__init__' : this.text(key), nameSpan: this.span(key), params: isStatic ? params : [self, ...params], body: stmts });
    }
    const heritage = ks.find((c) => c.name === 'ClassHeritage' || c.name === 'extends');
    const base = heritage ? ks.slice(ks.indexOf(heritage)).find((c) => c.name === 'VariableName') : undefined;
    if (fields.length) {
      const init = methods.find((d) => d.name === '__init__');
      if (init && Array.isArray(init.body)) {
        // fields are set when super(…) returns (at the start of a class with no base)
        const after = init.body.findIndex((st) => st.k === 'expr' && st.x.k === 'call' && st.x.fn.k === 'attr' && st.x.fn.name === '__init__' && st.x.fn.obj.k === 'call' && isName(st.x.fn.obj.fn, 'super')) + 1;
        init.body = [...init.body.slice(0, after), ...fields, ...init.body.slice(after)];
      }
      else {
        // no constructor: a derived class's passes its arguments to the base's (super(...args)) before its fields are set
        const at = { start: body.from, end: body.from };
        const args: Param = { ...at, name: 'args', kind: 'star' };
        const toBase: S = { ...at, k: 'expr', x: { ...at, k: 'call', fn: { ...at, k: 'attr', obj: { ...at, k: 'call', fn: { ...at, k: 'name', name: 'super' }, args: [], kw: [] }, name: '__init__' }, args: [{ ...at, k: 'spread', a: { ...at, k: 'name', name: 'args' } }], kw: [] } };
        methods.push({ ...this.span(body), k: 'def', name: '__init__', nameSpan: this.span(body), params: [{ ...at, name: 'this', kind: 'plain' }, ...(base ? [args] : [])], body: base ? [toBase, ...fields] : fields });
      }
    }
    return [{ ...this.span(n), k: 'class', name: this.text(name), nameSpan: this.span(name), bases: base ? [this.expr(base)] : [], body: methods }];
  }

  private exprStmt(n: SyntaxNode): S[] {
    const sp = this.span(n);
    const ks = kids(n);
    if (n.name === 'AssignmentExpression') {
      const opIdx = ks.findIndex((c) => c.name === 'Equals' || c.name === 'UpdateOp');
      const target = this.pattern(ks[0]);
      const value = ks[opIdx + 1] ? this.expr(ks[opIdx + 1]) : ({ ...sp, k: 'bad', what: 'a missing value' } as X);
      const op = ks[opIdx]?.name === 'UpdateOp' ? this.text(ks[opIdx]).slice(0, -1) : undefined;
      return [{ ...sp, k: 'assign', target, value, op }];
    }
    if (n.name === 'PostfixExpression' || (n.name === 'UnaryExpression' && /^(\+\+|--)$/.test(this.text(ks[0] ?? n)))) {
      const arg = n.name === 'PostfixExpression' ? ks[0] : ks[1];
      const op = this.text(n.name === 'PostfixExpression' ? ks[1] : ks[0]);
      if (arg && (op === '++' || op === '--')) {
        return [{ ...sp, k: 'assign', target: this.expr(arg), value: { ...sp, k: 'num', v: 1 }, op: op[0] }];
      }
    }
    if (n.name === 'SequenceExpression') return ks.filter((c) => !SKIP.has(c.name)).flatMap((c) => this.exprStmt(c));
    return [{ ...sp, k: 'expr', x: this.expr(n) }];
  }

  private declarations(n: SyntaxNode): S[] {
    const ks = kids(n);
    const out: S[] = [];
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i];
      if (c.name === 'VariableDefinition' || c.name === 'ArrayPattern' || c.name === 'ObjectPattern') {
        let j = i + 1;
        if (ks[j]?.name === 'TypeAnnotation') j++;
        if (ks[j]?.name === 'Equals' && ks[j + 1]) {
          const valueNode = ks[j + 1];
          const target = this.pattern(c);
          const value = this.expr(valueNode);
          const sp = { start: c.from, end: valueNode.to };
          if ((value.k === 'lambda') && target.k === 'name') {
            out.push({ ...this.span(n), k: 'def', name: target.name, nameSpan: this.span(c), params: value.params, body: value.body, arrow: true });
          } else {
            out.push({ ...sp, k: 'assign', target, value, decl: true });
          }
          i = j + 1;
        }
      }
    }
    return out;
  }

  private pattern(n: SyntaxNode): X {
    const sp = this.span(n);
    if (n.name === 'VariableDefinition' || n.name === 'VariableName') return { ...sp, k: 'name', name: this.text(n) };
    if (n.name === 'ArrayPattern') return { ...sp, k: 'list', tuple: true, items: kids(n).filter((c) => !SKIP.has(c.name)).map((c) => this.pattern(c)) };
    if (n.name === 'ObjectPattern') {
      const fields: Array<{ key: string; value: X }> = [];
      for (const p of kids(n).filter((c) => c.name === 'PatternProperty')) {
        const pk = kids(p).filter((c) => !SKIP.has(c.name) && c.name !== ':');
        if (pk.length === 1) fields.push({ key: this.text(pk[0]), value: this.pattern(pk[0]) });
        else if (pk.length >= 2) fields.push({ key: this.text(pk[0]), value: this.pattern(pk[1]) });
      }
      return { ...sp, k: 'obj', fields };
    }
    return this.expr(n);
  }

  params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    const ks = kids(n).filter((c) => !['(', ')'].includes(c.name));
    let spread = false;
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i];
      if (c.name === ',') { spread = false; continue; }
      if (c.name === 'Spread') { spread = true; continue; }
      if (c.name === 'VariableDefinition' || c.name === 'ArrayPattern' || c.name === 'ObjectPattern') {
        const p: Param = { start: c.from, end: c.to, name: this.text(c), kind: spread ? 'star' : 'plain' };
        if (c.name !== 'VariableDefinition') p.pattern = this.pattern(c);
        let j = i + 1;
        if (ks[j]?.name === 'TypeAnnotation' || ks[j]?.name === 'Optional') j++;
        if (ks[j]?.name === 'TypeAnnotation') j++;
        if (ks[j]?.name === 'Equals' && ks[j + 1]) { p.default = this.expr(ks[j + 1]); j += 2; }
        out.push(p);
        i = j - 1;
      }
    }
    return out;
  }

  expr(n: SyntaxNode): X {
    const sp = this.span(n);
    const ks = kids(n);
    switch (n.name) {
      case 'Number': {
        const t = this.text(n).replace(/_/g, '');
        if (/n$/.test(t)) return { ...sp, k: 'num', v: Number(t.slice(0, -1)) };
        return { ...sp, k: 'num', v: Number(t) };
      }
      case 'String': return { ...sp, k: 'str', v: this.text(n).slice(1, -1) };
      case 'TemplateString': {
        // its substitutions are what a console.log(`loss = ${…}`) shows, as a Python f-string's fields
        const fields = ks.filter((c) => c.name === 'Interpolation').map((c) => kids(c).find((k) => k.name !== 'InterpolationStart' && k.name !== 'InterpolationEnd')).filter((c): c is SyntaxNode => !!c);
        return { ...sp, k: 'str', v: this.text(n).slice(1, -1), ...(fields.length ? { parts: fields.map((c) => this.expr(c)) } : {}) };
      }
      case 'BooleanLiteral': return { ...sp, k: 'bool', v: this.text(n) === 'true' };
      case 'null': case 'undefined': return { ...sp, k: 'none' };
      case 'VariableName': case 'VariableDefinition': return { ...sp, k: 'name', name: this.text(n) };
      case 'this': return { ...sp, k: 'name', name: 'this' };
      // super in a method is Python's super(): super.f(…) reads the base class's f, super(…) its constructor (below)
      case 'super': return { ...sp, k: 'call', fn: { ...sp, k: 'name', name: 'super' }, args: [], kw: [] };
      // the value a promise resolves to (await loss.data()) is what the reader reads
      case 'AwaitExpression': return ks[1] ? this.expr(ks[1]) : { ...sp, k: 'bad', what: 'an unfinished await' };
      case 'ParenthesizedExpression': {
        const inner = ks.filter((c) => !SKIP.has(c.name));
        return inner.length === 1 ? this.expr(inner[0]) : { ...sp, k: 'bad', what: 'an empty pair of parentheses' };
      }
      case 'ArrayExpression':
        return { ...sp, k: 'list', items: ks.filter((c) => !SKIP.has(c.name)).map((c) => (c.name === 'Spread' ? ({ ...sp, k: 'bad', what: 'a spread' } as X) : this.expr(c))) };
      case 'ObjectExpression': {
        const fields: Array<{ key: string; value: X; keySpan?: Span }> = [];
        for (const p of ks.filter((c) => c.name === 'Property')) {
          const pk = kids(p).filter((c) => !SKIP.has(c.name));
          const keyNode = pk[0];
          if (!keyNode) continue;
          const key = keyNode.name === 'String' ? this.text(keyNode).slice(1, -1) : this.text(keyNode);
          const colon = pk.findIndex((c) => c.name === ':');
          if (colon >= 0 && pk[colon + 1]) fields.push({ key, keySpan: this.span(keyNode), value: this.expr(pk[colon + 1]) });
          else if (pk.length === 1) fields.push({ key, value: { start: keyNode.from, end: keyNode.to, k: 'name', name: key } });
          else if (pk.some((c) => c.name === 'ParamList')) {
            // loss(w, b) { … }: a function stored on the object
            const pl = pk.find((c) => c.name === 'ParamList') as SyntaxNode;
            const block = pk.find((c) => c.name === 'Block');
            fields.push({ key, keySpan: this.span(keyNode), value: block ? { ...this.span(p), k: 'lambda', params: this.params(pl), body: this.block(block) } : { ...this.span(p), k: 'bad', what: 'an unfinished method' } });
          }
        }
        return { ...sp, k: 'obj', fields };
      }
      case 'MemberExpression': {
        const obj = ks[0];
        const dot = ks.findIndex((c) => c.name === '.' || c.name === '?.');
        if (dot >= 0) {
          const prop = ks[dot + 1];
          if (!prop) return { ...sp, k: 'bad', what: 'an unfinished property access' };
          return { ...sp, k: 'attr', obj: this.expr(obj), name: this.text(prop) };
        }
        const inner = ks.slice(1).filter((c) => !SKIP.has(c.name));
        return { ...sp, k: 'index', obj: this.expr(obj), idx: inner.slice(0, 1).map((c) => this.expr(c)) };
      }
      case 'CallExpression': case 'NewExpression': {
        const fnNode = ks.find((c) => c.name !== 'new' && c.name !== 'TypeArgList');
        const al = ks.find((c) => c.name === 'ArgList');
        const args = al ? kids(al).filter((c) => !SKIP.has(c.name)).map((c) => this.expr(c)) : [];
        if (!fnNode) return { ...sp, k: 'bad', what: 'an unfinished call' };
        // super(xs, ys) in a constructor: the base class's constructor, super().__init__(xs, ys) as Python writes it
        if (fnNode.name === 'super') return { ...sp, k: 'call', fn: { ...this.span(fnNode), k: 'attr', obj: this.expr(fnNode), name: '__init__' }, args, kw: [] };
        return { ...sp, k: 'call', fn: this.expr(fnNode), args, kw: [], isNew: n.name === 'NewExpression' };
      }
      case 'BinaryExpression': {
        const l = ks[0];
        const op = ks[1];
        const r = ks[2];
        if (!l || !op || !r) return { ...sp, k: 'bad', what: 'an unfinished expression' };
        // a TypeScript cast (`x as T`, `x satisfies T`) is its value
        if (this.text(op) === 'as' || this.text(op) === 'satisfies') return this.expr(l);
        return { ...sp, k: 'bin', op: this.text(op), l: this.expr(l), r: this.expr(r), opAt: op.from };
      }
      case 'UnaryExpression': {
        const [op, a] = ks;
        if (!op || !a) return { ...sp, k: 'bad', what: 'an unfinished expression' };
        const o = this.text(op);
        if (o === 'typeof' || o === 'void' || o === 'delete') return { ...sp, k: 'bad', what: `'${o}'` };
        return { ...sp, k: 'un', op: o, a: this.expr(a) };
      }
      case 'ConditionalExpression': {
        const parts = ks.filter((c) => c.name !== 'LogicOp');
        if (parts.length !== 3) return { ...sp, k: 'bad', what: 'an unfinished conditional expression' };
        return { ...sp, k: 'cond', test: this.expr(parts[0]), a: this.expr(parts[1]), b: this.expr(parts[2]) };
      }
      case 'ArrowFunction': case 'FunctionExpression': {
        const pl = ks.find((c) => c.name === 'ParamList');
        const params = pl ? this.params(pl) : ks[0]?.name === 'VariableDefinition' ? [{ start: ks[0].from, end: ks[0].to, name: this.text(ks[0]), kind: 'plain' as const }] : [];
        const last = ks[ks.length - 1];
        if (!last) return { ...sp, k: 'bad', what: 'an unfinished function' };
        const body: S[] | X = last.name === 'Block' ? this.block(last) : this.expr(last);
        return { ...sp, k: 'lambda', params, body };
      }
      case 'AsExpression': case 'NonNullExpression': case 'SatisfiesExpression':
        return ks[0] ? this.expr(ks[0]) : { ...sp, k: 'bad', what: 'an expression' };
      case 'AssignmentExpression':
        return { ...sp, k: 'bad', what: 'an assignment inside an expression' };
      default:
        if (n.type.isError) return { ...sp, k: 'bad', what: 'text that is not valid JavaScript' };
        return { ...sp, k: 'bad', what: `${n.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} '${this.text(n).slice(0, 30)}'` };
    }
  }
}
