/**
 * What the interpreter computes with: scalars are expression trees (a number
 * is a constant tree), arrays hold values, namespaces stand for modules.
 */
import type { Expr } from '../expr/ast';
import type { UserError } from '../errors';
import type { Param, S, Span, X } from './ir';
import type { UserError as Located } from '../errors';
import type { Activation } from '../network/mlp';
import type { Framework } from '../network/spec';

/**
 * Reads a data file named in the code (`np.loadtxt("a.csv")`), beside the
 * document, as the host finds it: its text, or its bytes for a binary file
 * (`isBinaryDataFile`: `.npy`), undefined when there is none, or why it
 * cannot be read now (too large, still being read by the editor), said at
 * the file name.
 */
export type FileReader = (name: string) => string | Uint8Array | undefined | { message: string };

export type Syntax = 'python' | 'js';

/** The most loop iterations and scalar operations one reading may take. */
export const MAX_ITERATIONS = 200_000;
export const MAX_OPERATIONS = 2_000_000;

/** The arguments of a call: positional, by keyword, and where it is written. */
export interface Call { args: V[]; kw: Map<string, V>; at: Span }

export type Env = { vars: Map<string, V>; parent?: Env; global?: boolean };

export type V =
  | { t: 's'; e: Expr }
  | { t: 'arr'; items: V[]; /** where the data came from, for messages */ origin?: string; /** an iterator (csv.reader): next() takes its first item */ iterator?: boolean }
  /** `cls`: an instance of a class of the file (its methods are read through it, bound to it) */
  | { t: 'obj'; fields: Map<string, V>; frame?: boolean; cls?: V & { t: 'class' } }
  | { t: 'str'; s: string }
  | { t: 'bool'; b: boolean }
  | { t: 'none' }
  /** `module`: the file beside this one it was defined in (`helpers.py`) */
  /** `owner`: the class of the file whose body defines it (a method), what super() inside it starts from */
  | { t: 'fn'; name: string; params: Param[]; body: S[] | X; closure: Env; self?: V; module?: string; owner?: V & { t: 'class' } }
  | { t: 'ns'; path: string }
  | { t: 'method'; self: V; name: string }
  /** micrograd Value(…) or a tensor with requires_grad before it gets a name */
  | { t: 'leaf'; value: V }
  | { t: 'err'; err: UserError }
  /** a layer, model, symbolic tensor, loss or optimizer of a framework */
  | { t: 'net'; n: NetObj }
  | { t: 'class'; name: string; bases: V[]; body: S[]; closure: Env; span: Span; instances: number }
  /** super() in a method of `of`: attributes are looked up in its bases, bound to `self` */
  | { t: 'super'; of: V & { t: 'class' }; self: V }
  | { t: 'opaque'; what: string };

/** A number as the interpreter holds it: a constant tree located where it was written. */
export function num(v: number, at: Span): Expr {
  return { kind: 'num', value: v, start: at.start, end: at.end };
}

export const isNum = (v: V): v is { t: 's'; e: Expr & { kind: 'num' } } => v.t === 's' && v.e.kind === 'num';

export interface Layer {
  type: 'layer';
  kind: 'dense' | 'act' | 'ignored' | 'input';
  cls: string;
  framework: Framework;
  span: Span;
  units?: number;
  inFeatures?: number;
  activation?: Activation;
  /** input size from input_shape / input_dim / inputShape / Input(shape) */
  inputs?: number;
  weight?: number[][];
  bias?: number[];
  /** Keras layer held in a model: the Input it was given */
  note?: string;
  /** submodules of an nn.Sequential held as a layer of a module */
  sequential?: Model;
}

export interface Model {
  type: 'model';
  framework: Framework;
  items: Layer[];
  span: Span;
  inputs?: number;
  loss?: LossObj;
  optimizer?: Optim;
  fit?: { x?: V; y?: V; epochs?: number; batchSize?: number; shuffle?: boolean };
  notes: string[];
  /** what could not be read in the model's compile/fit/add calls, said when it is visualized */
  errors?: Located[];
  /** an nn.Module subclass instance: its attributes and the class */
  module?: { cls: string; attrs: Map<string, V>; classSpan: Span; forward?: () => Layer[] };
}

export interface Sym { type: 'sym'; framework: Framework; chain: Layer[]; inputs?: number }
export interface LossObj { type: 'loss'; key: string; span: Span; fromLogits?: boolean; /** PyTorch's reduction= ('mean', 'sum', 'none') when written */ reduction?: string }
export interface Optim { type: 'optim'; key: string; span: Span; lr?: number; momentum?: number; nesterov?: boolean; owner?: Model; hyper: Record<string, number | boolean>; framework: Framework }
export interface ParamRef { type: 'param'; layer: Layer; which: 'weight' | 'bias' }

export type NetObj = Layer | Model | Sym | LossObj | Optim | ParamRef;

/** super(Class, self) as Python 2 wrote it; undefined for super() itself. */
export function superOf(c: Call): V | undefined {
  const [of, self] = c.args;
  return of?.t === 'class' && self ? { t: 'super', of, self } : undefined;
}
