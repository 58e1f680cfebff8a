/**
 * A small language-neutral program tree. The Python and JavaScript/TypeScript
 * readers turn a Lezer syntax tree into it; the interpreter reads only it.
 * Every node keeps the document offsets of the user's characters.
 */
export interface Span { start: number; end: number }

export type X = Span & (
  | { k: 'num'; v: number }
  /** `parts`: an f-string's replacement fields */
  | { k: 'str'; v: string; parts?: X[] }
  | { k: 'bool'; v: boolean }
  | { k: 'none' }
  | { k: 'name'; name: string }
  | { k: 'attr'; obj: X; name: string }
  | { k: 'index'; obj: X; idx: X[] }
  | { k: 'slice'; lo?: X; hi?: X }
  | { k: 'call'; fn: X; args: X[]; kw: Array<{ name: string; value: X }>; isNew?: boolean }
  | { k: 'bin'; op: string; l: X; r: X; /** where the operator is written */ opAt?: number }
  | { k: 'un'; op: string; a: X }
  | { k: 'list'; items: X[]; tuple?: boolean }
  | { k: 'obj'; fields: Array<{ key: string; value: X; /** where the key is written (an object literal's) */ keySpan?: Span }> }
  | { k: 'lambda'; params: Param[]; body: S[] | X }
  | { k: 'gen'; elt: X; fors: Array<{ target: X; iter: X }>; conds: X[]; list?: boolean }
  | { k: 'cond'; test: X; a: X; b: X }
  | { k: 'spread'; a: X }
  /** what the reader could not take; `message` when the language itself refuses it */
  | { k: 'bad'; what: string; message?: string }
);

export interface Param extends Span {
  /** a plain name, or a destructuring pattern (`[x, y]`) as an expression */
  name: string;
  pattern?: X;
  default?: X;
  kind: 'plain' | 'star' | 'kwstar' | 'marker';
}

export type S = Span & (
  | { k: 'assign'; target: X; value: X; op?: string; /** JS `let`/`const`/`var`: a new name in this scope */ decl?: boolean }
  | { k: 'expr'; x: X }
  | { k: 'return'; x?: X }
  | { k: 'for'; target: X; iter: X; body: S[] }
  /** a C-style for loop; `while (test)` / Python's `while test:` is one without init and update */
  | { k: 'cfor'; init: S[]; test?: X; update: S[]; body: S[]; while?: true }
  | { k: 'def'; name: string; nameSpan: Span; params: Param[]; body: S[] | X; arrow?: boolean }
  | { k: 'class'; name: string; nameSpan: Span; bases: X[]; body: S[] }
  | { k: 'import'; module: string; alias?: string; names?: Array<{ name: string; alias: string }> }
  /** a branch: read where its condition is known from data and constants (`if m == 0: return 0`), refused where it depends on a parameter */
  | { k: 'if'; test: X; body: S[]; orelse: S[] }
  | { k: 'with'; items: X[]; /** the name after `as` of each item, when written */ targets?: Array<X | undefined>; body: S[] }
  | { k: 'pass' }
  | { k: 'bad'; what: string; hint: string }
);

export const isName = (x: X | undefined, name?: string): x is Span & { k: 'name'; name: string } =>
  !!x && x.k === 'name' && (name === undefined || x.name === name);

/** `a.b.c` → "a.b.c" for a dotted name, else undefined. */
export function dotted(x: X): string | undefined {
  if (x.k === 'name') return x.name;
  if (x.k === 'attr') {
    const o = dotted(x.obj);
    return o === undefined ? undefined : `${o}.${x.name}`;
  }
  return undefined;
}
