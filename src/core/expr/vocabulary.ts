/**
 * The names the readers know, in one table: the functions and constants of
 * math notation (and LaTeX, rewritten to it), of Python's numpy / math /
 * torch / jax.numpy / autograd.numpy / scipy.special and of JavaScript's Math.
 * The expression parser (parser.ts) and the code interpreter (code/arithmetic.ts,
 * code/library.ts, code/interpret.ts) both read it, so a name means the same
 * tree wherever it is written.
 *
 * Every name means an op of the op table (autodiff/ops.ts) or a short form
 * over those ops (log1p(x) = log(1 + x)): the value and the derivative of what
 * a name builds are the op table's, in the tape, the compiled code and the
 * interpreter's folding of numbers. The "supported" lists of refusals are this
 * table's names.
 */
import { BinaryOperator, Expr, UnaryFunction, UNARY_FUNCTIONS } from './ast';

/** A reader's constructors: its spans, and (the interpreter) its folding of numbers. */
export interface Build {
  call(fn: UnaryFunction, x: Expr): Expr;
  bin(op: BinaryOperator, l: Expr, r: Expr): Expr;
  num(v: number): Expr;
}

/** A function name: how many arguments it takes and the tree it stands for. */
export interface Word {
  readonly arity: 1 | 2;
  readonly build: (b: Build, args: readonly Expr[]) => Expr;
}

const op = (fn: UnaryFunction): Word => ({ arity: 1, build: (b, [x]) => b.call(fn, x) });
const power: Word = { arity: 2, build: (b, [x, y]) => b.bin('^', x, y) };

export const FUNCTIONS: ReadonlyMap<string, Word> = new Map<string, Word>([
  ...UNARY_FUNCTIONS.filter((f) => f !== 'square').map((f): [string, Word] => [f, op(f)]),
  // x² as the power it is (np.square, Value.square()): the fit and the textbook form read squares as ^2
  ['square', { arity: 1, build: (b, [x]) => b.bin('^', x, b.num(2)) }],
  ['ln', op('log')], ['expit', op('sigmoid')], ['arcsin', op('asin')], ['arccos', op('acos')], ['arctan', op('atan')],
  ['fabs', op('abs')], ['absolute', op('abs')],
  ['pow', power], ['power', power],
  // ln(1 + x) and eˣ − 1 as the ops they are made of (derivatives 1/(1 + x) and eˣ by the chain rule)
  ['log1p', { arity: 1, build: (b, [x]) => b.call('log', b.bin('+', b.num(1), x)) }],
  ['expm1', { arity: 1, build: (b, [x]) => b.bin('-', b.call('exp', x), b.num(1)) }],
]);

/** The functions a micrograd Value or a torch tensor has as methods (`a.tanh()`, `w.square()`). */
export const METHODS: ReadonlySet<string> = new Set(['relu', 'tanh', 'exp', 'log', 'sigmoid', 'sqrt', 'abs', 'sin', 'cos', 'square']);

/** Named constants: `pi` and `e` as written in math notation, `np.pi`, `math.e`, `Math.PI`, `Math.E`. */
export const CONSTANTS: ReadonlyMap<string, { value: number; name: 'pi' | 'e' }> = new Map([
  ['pi', { value: Math.PI, name: 'pi' as const }], ['π', { value: Math.PI, name: 'pi' as const }], ['PI', { value: Math.PI, name: 'pi' as const }],
  ['e', { value: Math.E, name: 'e' as const }], ['E', { value: Math.E, name: 'e' as const }],
]);

/**
 * The modules whose functions are these names, by the name the interpreter holds each under, with the
 * names code imports it by; `constants`: the module also has pi and e.
 */
export const MODULES: ReadonlyArray<{ root: string; imports: readonly string[]; constants?: true }> = [
  { root: 'np', imports: ['numpy', 'jax.numpy', 'autograd.numpy', 'jnp'], constants: true },
  { root: 'math', imports: ['math', 'cmath'], constants: true },
  { root: 'torch', imports: ['torch'], constants: true },
  { root: 'F', imports: ['torch.nn.functional'] },
  { root: 'special', imports: ['scipy.special'] },
  { root: 'Math', imports: [], constants: true },
  { root: 'tf', imports: ['tensorflow', 'tf.math', 'tf.nn'] },
];

/** The prefixes a name may carry in an expression (`np.exp`, `jax.numpy.exp`, `Math.exp`), longest first. */
export const PREFIXES: readonly string[] = [...new Set(MODULES.flatMap((m) => [m.root, ...m.imports]))]
  .map((p) => `${p}.`).sort((a, b) => b.length - a.length);

/** The import name → the interpreter's name of each module of the table (`jax.numpy` → `np`). */
export const MODULE_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  MODULES.flatMap((m) => m.imports.map((i) => [i, m.root])).filter(([i]) => !i.startsWith('tf.')),
);

/** A constant of a module (`np.pi`, `Math.E`), by the interpreter's name of the module. */
export function moduleConstant(root: string, name: string): { value: number; name: 'pi' | 'e' } | undefined {
  return MODULES.some((m) => m.root === root && m.constants) && name !== 'π' ? CONSTANTS.get(name) : undefined;
}

/** The function names, for the "supported" list of a refusal. */
export function functionNames(): string {
  return [...FUNCTIONS.keys()].join(', ');
}
