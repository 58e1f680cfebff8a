/**
 * The framework objects a program builds and uses: layers, models (Sequential,
 * Keras' functional API, nn.Module subclasses of the file), losses and
 * optimizers, their weights set in code, and instances of the file's plain
 * classes. What they hold is what networks.ts visualizes.
 */
import { UserError } from '../errors';
import type { Activation } from '../network/mlp';
import type { S, Span, X } from './ir';
import { Call, V, isNum } from './values';
import { describe } from './arrays';
import { Helpers, Layer, LossObj, Model, NetObj, NetworkLibrary, Optim, Sym, isModuleClass } from './networks';
import type { Arithmetic } from './arithmetic';
import type { Library } from './library';

/** What the framework objects use of the evaluator (interpret.ts): what it registers, and calls of the file's functions. */
export interface FrameworksHost extends Arithmetic {
  readonly net: NetworkLibrary;
  readonly library: Library;
  readonly models: Array<{ name: string | null; model: Model; stmt: Span }>;
  readonly lossDefs: Array<{ loss: LossObj; stmt: Span }>;
  readonly optimDefs: Array<{ optim: Optim; stmt: Span }>;
  moduleLevel: boolean;
  /** the module beside the file whose statements run now */
  readonly module: string | undefined;
  callFunction(f: V & { t: 'fn' }, call: Call, at: Span): V;
}

/**
 * nn.MSELoss() and the others, called on values: the functional loss they compute. Keras' MeanSquaredError()
 * and MeanAbsoluteError() take (y_true, y_pred), the other way round, which these two do not tell apart.
 */
const LOSS_OBJECTS: Record<string, string> = {
  MSELoss: 'mse_loss', L1Loss: 'l1_loss', BCELoss: 'binary_cross_entropy', BCEWithLogitsLoss: 'binary_cross_entropy_with_logits', CrossEntropyLoss: 'cross_entropy', NLLLoss: 'nll_loss',
  MeanSquaredError: 'mse_loss', MeanAbsoluteError: 'l1_loss',
};

export class Frameworks {
  /** PyTorch layers named at module level (a lone nn.Linear may be the whole model) */
  readonly layerNames = new Map<Layer, { name: string; stmt: Span }>();

  constructor(private readonly ip: FrameworksHost) {}

  register(n: NetObj, name: string | null, stmt: Span): void {
    if (n.type === 'model') {
      if (!this.ip.models.some((m) => m.model === n)) this.ip.models.push({ name, model: n, stmt });
      else {
        const m = this.ip.models.find((x) => x.model === n);
        if (m && m.name === null) m.name = name;
      }
    } else if (n.type === 'loss') this.ip.lossDefs.push({ loss: n, stmt });
    else if (n.type === 'optim') this.ip.optimDefs.push({ optim: n, stmt });
  }

  helpers(): Helpers {
    return {
      sequential: (framework, args, at) => {
        const items: Layer[] = [];
        const add = (v: V): void => {
          if (v.t === 'arr') {
            // OrderedDict([('fc1', nn.Linear(…)), …]) or a list of layers
            if (v.items.length === 2 && v.items[0].t === 'str' && v.items[1].t === 'net') { add(v.items[1]); return; }
            v.items.forEach(add);
          } else if (v.t === 'net' && v.n.type === 'layer') items.push(v.n);
          else if (v.t === 'net' && v.n.type === 'sym') items.push({ type: 'layer', kind: 'input', cls: 'Input', framework, span: at, inputs: v.n.inputs });
          else if (v.t === 'net' && v.n.type === 'model') items.push(...v.n.items);
          else if (v.t === 'ns' && /OrderedDict$/.test(v.path)) return;
          else throw this.ip.err(at, `cannot read ${describe(v)} as a layer of the model`);
        };
        args.forEach(add);
        return { type: 'model', framework, items, span: at, notes: [] };
      },
      functionalModel: (inputs, outputs, at) => {
        if (!outputs || outputs.t !== 'net' || outputs.n.type !== 'sym') throw this.ip.err(at, 'the model\'s outputs must be the result of layers applied to an Input');
        const out = outputs.n;
        const inp = inputs && inputs.t === 'net' && inputs.n.type === 'sym' ? inputs.n : undefined;
        return { type: 'model', framework: out.framework, items: [...out.chain], inputs: inp?.inputs ?? out.inputs, span: at, notes: [] };
      },
      init: (name, args, at) => {
        const ref = args[0];
        if (!ref || ref.t !== 'net' || ref.n.type !== 'param') throw this.ip.err(at, `nn.init.${name} needs a layer's weight or bias`);
        const v = name === 'zeros_' ? 0 : name === 'ones_' ? 1 : name === 'constant_' ? this.ip.library.numberArg(args[1], at) : undefined;
        if (v === undefined) return { t: 'none' };
        this.fillParam(ref.n, v);
        return { t: 'none' };
      },
    };
  }

  private fillParam(ref: { layer: Layer; which: 'weight' | 'bias' }, v: number): void {
    const l = ref.layer;
    const out = l.units ?? 1;
    const fin = l.inFeatures ?? 1;
    if (ref.which === 'weight') l.weight = Array.from({ length: out }, () => Array.from({ length: fin }, () => v));
    else l.bias = Array.from({ length: out }, () => v);
  }

  private numbersOf(v: V, at: Span): number[] | number[][] {
    const val = v.t === 'leaf' ? v.value : v;
    if (val.t !== 'arr') throw this.ip.err(at, 'expected an array of numbers written in the file');
    const toNum = (x: V): number => { if (!isNum(x)) throw this.ip.err(at, 'expected numbers written in the file'); return x.e.value; };
    if (val.items.every((x) => x.t === 'arr')) return val.items.map((r) => (r as V & { t: 'arr' }).items.map(toNum));
    return val.items.map(toNum);
  }

  private setParam(ref: { layer: Layer; which: 'weight' | 'bias' }, v: V, at: Span): void {
    const l = ref.layer;
    if (v.t === 's' && isNum(v)) { this.fillParam(ref, v.e.value); return; }
    const nums = this.numbersOf(v, at);
    if (ref.which === 'weight') {
      if (!Array.isArray(nums[0])) throw this.ip.err(at, 'a weight matrix needs rows: [[…], […]]');
      const W = nums as number[][];
      if (l.units !== undefined && l.inFeatures !== undefined && (W.length !== l.units || W.some((r) => r.length !== l.inFeatures))) {
        throw this.ip.err(at, `the weight has shape (${W.length}, ${W[0]?.length ?? 0}) but ${l.cls}(${l.inFeatures}, ${l.units}) needs (${l.units}, ${l.inFeatures})`);
      }
      l.weight = W;
    } else {
      const b = (Array.isArray(nums[0]) ? (nums as number[][]).flat() : nums) as number[];
      if (l.units !== undefined && b.length !== l.units) throw this.ip.err(at, `the bias has ${b.length} values but the layer has ${l.units} units`);
      l.bias = b;
    }
  }

  setNetAttr(n: NetObj, name: string, value: V, at: Span): void {
    if (n.type === 'model' && n.module) {
      if (value.t === 'net' && value.n.type === 'model' && !value.n.module) {
        // an nn.Sequential held by a module
        n.module.attrs.set(name, value);
        return;
      }
      if (value.t === 'ns' && /ModuleList$/.test(value.path)) throw this.ip.err(at, 'nn.ModuleList is not supported: hold the layers in attributes or an nn.Sequential');
      n.module.attrs.set(name, value);
      return;
    }
    if (n.type === 'param' && name === 'data') { this.setParam(n, value, at); return; }
    if (n.type === 'layer' && (name === 'weight' || name === 'bias')) {
      const v = value.t === 'net' && value.n.type === 'param' ? undefined : value;
      if (v) this.setParam({ layer: n, which: name }, v, at);
      return;
    }
    throw this.ip.err(at, `setting '${name}' here is not supported`);
  }

  netAttr(n: NetObj, name: string, at: X & { k: 'attr' }): V {
    if (n.type === 'model') {
      if (n.module) {
        const v = n.module.attrs.get(name);
        if (v) return v;
        const m = this.classMethod(n, name);
        if (m) return m;
      }
      if (name === 'layers') return { t: 'arr', items: n.items.map((l) => ({ t: 'net', n: l }) as V) };
      return { t: 'method', self: { t: 'net', n }, name };
    }
    if (n.type === 'layer' && (name === 'weight' || name === 'bias' || name === 'kernel')) {
      if (n.kind !== 'dense') throw this.ip.err(at, `${n.cls} has no ${name}`);
      return { t: 'net', n: { type: 'param', layer: n, which: name === 'bias' ? 'bias' : 'weight' } };
    }
    if (n.type === 'param' && name === 'data') return { t: 'net', n };
    return { t: 'method', self: { t: 'net', n }, name };
  }

  private classMethod(model: Model, name: string): V | undefined {
    const cls = (model as Model & { cls?: V & { t: 'class' } }).cls;
    if (!cls) return undefined;
    const methods = this.methodsOf(cls);
    const fn = methods.get(name);
    if (!fn) return undefined;
    const self: V = { t: 'net', n: model };
    return { ...fn, self, closure: fn.closure } as V;
  }

  methodsOf(cls: V & { t: 'class' }): Map<string, V & { t: 'fn' }> {
    const out = new Map<string, V & { t: 'fn' }>();
    // a base class of the file first: the subclass's own methods override its
    for (const b of cls.bases) if (b.t === 'class') for (const [k, f] of this.methodsOf(b)) out.set(k, f);
    for (const st of cls.body) if (st.k === 'def') out.set(st.name, { t: 'fn', name: st.name, params: st.params, body: st.body, closure: cls.closure, module: this.ip.module, owner: cls });
    return out;
  }

  /**
   * A method of a plain class of the file: through an instance it receives the instance first when its first
   * parameter is self (Python) or this (JavaScript, whose reader adds it to instance methods); a static method
   * and a method read off the class itself receive only what the call gives.
   */
  boundMethod(cls: V & { t: 'class' }, name: string, self?: V): (V & { t: 'fn' }) | undefined {
    const f = this.methodsOf(cls).get(name);
    if (!f) return undefined;
    const first = f.params[0]?.name;
    return self && (first === 'self' || first === 'this') ? { ...f, self } : f;
  }

  /** An instance of an nn.Module class the file never instantiates (or instantiates with arguments we cannot read). */
  instantiateForReading(cls: V & { t: 'class' }, at: S & { k: 'class' }): Model {
    const v = this.instantiate(cls, { args: [], kw: new Map(), at }, { ...at, k: 'call', fn: { ...at, k: 'name', name: cls.name }, args: [], kw: [] });
    if (v.t !== 'net' || v.n.type !== 'model') throw this.ip.err(at.nameSpan, `${cls.name} is not an nn.Module`);
    return v.n;
  }

  /** An instance of a plain class the file never instantiates: its constructor run with no arguments, else no fields. */
  instanceForReading(cls: V & { t: 'class' }): V {
    const at: X & { k: 'call' } = { ...cls.span, k: 'call', fn: { ...cls.span, k: 'name', name: cls.name }, args: [], kw: [] };
    try {
      return this.plainInstance(cls, { args: [], kw: new Map(), at }, at);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return { t: 'obj', fields: new Map(), cls };
    }
  }

  instantiate(cls: V & { t: 'class' }, c: Call, at: X & { k: 'call' }): V {
    if (!isModuleClass(cls)) return this.plainInstance(cls, c, at);
    const model: Model & { cls?: V & { t: 'class' } } = {
      type: 'model', framework: 'pytorch', items: [], span: cls.span, notes: [],
      module: { cls: cls.name, attrs: new Map(), classSpan: cls.span },
    };
    model.cls = cls;
    const self: V = { t: 'net', n: model };
    const methods = this.methodsOf(cls);
    const saved = this.ip.moduleLevel;
    this.ip.moduleLevel = false;
    try {
      const init = methods.get('__init__');
      if (init) this.ip.callFunction(init, { args: [self, ...c.args], kw: c.kw, at }, at);
    } finally {
      this.ip.moduleLevel = saved;
    }
    const forward = methods.get('forward');
    (model.module as NonNullable<Model['module']>).forward = () => {
      if (!forward) throw this.ip.err(cls.span, `the class ${cls.name} has no forward method`);
      const input: V = { t: 'net', n: { type: 'sym', framework: 'pytorch', chain: [] } };
      const savedLevel = this.ip.moduleLevel;
      this.ip.moduleLevel = false;
      try {
        const r = this.ip.callFunction(forward, { args: [self, input], kw: new Map(), at }, at);
        if (r.t !== 'net' || r.n.type !== 'sym') throw this.ip.err(forward.params[0] ?? cls.span, `forward of ${cls.name} must return the result of its layers`);
        return r.n.chain;
      } finally {
        this.ip.moduleLevel = savedLevel;
      }
    };
    cls.instances++;
    return self;
  }

  /**
   * An instance of a plain class (a model written as a class, its data stored by the constructor): an object
   * whose fields are what __init__ / the constructor assigns to self / this, its methods read through it.
   */
  private plainInstance(cls: V & { t: 'class' }, c: Call, at: X & { k: 'call' }): V {
    const self: V & { t: 'obj' } = { t: 'obj', fields: new Map(), cls };
    const init = this.boundMethod(cls, '__init__', self);
    if (init) {
      const saved = this.ip.moduleLevel;
      this.ip.moduleLevel = false;
      try {
        this.ip.callFunction(init, c, at);
      } finally {
        this.ip.moduleLevel = saved;
      }
    }
    cls.instances++;
    return self;
  }

  applyToSym(name: string, sym: Sym, at: Span, kw?: Map<string, V>): V {
    const acts: Record<string, Activation> = {
      relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', gelu: 'gelu', elu: 'elu', leaky_relu: 'leaky_relu', softplus: 'softplus', log_softmax: 'softmax',
    };
    if (Object.prototype.hasOwnProperty.call(acts, name)) {
      const approx = kw?.get('approximate');
      const note = name === 'log_softmax' ? 'logsoftmax' : approx?.t === 'str' && approx.s === 'tanh' ? 'gelu_tanh' : undefined;
      const layer: Layer = { type: 'layer', kind: 'act', cls: name, framework: sym.framework, span: at, activation: acts[name], note };
      return { t: 'net', n: { ...sym, chain: [...sym.chain, layer] } };
    }
    if (['flatten', 'view', 'reshape', 'squeeze', 'float', 'double', 'dropout'].includes(name)) return { t: 'net', n: sym };
    throw this.ip.err(at, `'${name}' on a tensor inside forward is not supported: only layers and activations (relu, sigmoid, tanh, softmax, gelu, elu, softplus)`);
  }

  callNet(n: NetObj, c: Call, at: X & { k: 'call' }): V {
    const arg = c.args[0];
    const sym = arg && arg.t === 'net' && arg.n.type === 'sym' ? arg.n : undefined;
    if (n.type === 'layer') {
      if (!sym) return { t: 'opaque', what: `the output of ${n.cls}` };
      return { t: 'net', n: { ...sym, chain: [...sym.chain, n] } };
    }
    if (n.type === 'model') {
      if (!sym) return { t: 'opaque', what: 'the model\'s output' };
      const chain = n.module?.forward ? n.module.forward() : n.items;
      return { t: 'net', n: { ...sym, chain: [...sym.chain, ...chain] } };
    }
    if (n.type === 'loss') {
      // criterion(pred, y) on values (a script, a cost function): the loss itself
      if (arg && c.args[1] && !sym && arg.t !== 'opaque' && arg.t !== 'net') {
        const red = c.kw.get('reduction');
        return this.ip.library.functionalLoss(LOSS_OBJECTS[n.key] ?? n.key, arg, c.args[1], red?.t === 'str' ? red.s : n.reduction ?? 'mean', at);
      }
      return { t: 'opaque', what: 'the loss value' };
    }
    throw this.ip.err(at, 'this cannot be called');
  }

  netMethod(n: NetObj, name: string, c: Call, at: X & { k: 'call' }): V {
    try {
      return this.netMethodOf(n, name, c, at);
    } catch (e) {
      // a model's compile/fit/add that cannot be read is that model's error, said when it is visualized
      if (n.type === 'model' && e instanceof UserError) (n.errors ??= []).push(e);
      throw e;
    }
  }

  private netMethodOf(n: NetObj, name: string, c: Call, at: X & { k: 'call' }): V {
    const a0 = c.args[0];
    if (n.type === 'sym') return this.applyToSym(name, n, at);
    if (n.type === 'param') {
      if (name === 'copy_') { this.setParam(n, a0, at); return { t: 'none' }; }
      if (name === 'fill_') { this.fillParam(n, this.ip.library.numberArg(a0, at)); return { t: 'none' }; }
      if (name === 'zero_') { this.fillParam(n, 0); return { t: 'none' }; }
      return { t: 'none' };
    }
    if (n.type === 'layer') {
      if (name === 'set_weights') { this.setKerasWeights([n], a0, at); return { t: 'none' }; }
      // TF.js functional API: layer.apply(symbolicTensor)
      if (name === 'apply') return this.callNet(n, c, at);
      // a lone nn.Linear trained by itself (linear regression): it is the model
      if (name === 'parameters' && n.kind === 'dense' && n.framework === 'pytorch') {
        const named = this.layerNames.get(n);
        const model: Model = { type: 'model', framework: 'pytorch', items: [n], span: named?.stmt ?? n.span, notes: [] };
        if (named) this.register(model, named.name, named.stmt);
        this.layerNames.delete(n);
        return { t: 'net', n: model };
      }
      return { t: 'opaque', what: `${n.cls}.${name}()` };
    }
    if (n.type === 'model') {
      switch (name) {
        case 'add': {
          if (!a0 || a0.t !== 'net') throw this.ip.err(at, 'add() needs a layer');
          if (a0.n.type === 'layer') n.items.push(a0.n);
          else if (a0.n.type === 'model') n.items.push(...a0.n.items);
          n.span = { start: n.span.start, end: Math.max(n.span.end, at.end) };
          return { t: 'none' };
        }
        case 'compile': {
          const cfg = a0 && a0.t === 'obj' ? a0.fields : c.kw;
          const opt = cfg.get('optimizer') ?? (a0 && a0.t !== 'obj' ? a0 : undefined);
          const loss = cfg.get('loss') ?? c.args[1];
          if (opt) n.optimizer = opt.t === 'str' ? this.ip.net.optimizer(opt.s, [], new Map(), at, n.framework) : opt.t === 'net' && opt.n.type === 'optim' ? opt.n : undefined;
          if (opt && !n.optimizer) throw this.ip.err(at, 'cannot read the optimizer');
          if (loss) {
            const key = loss.t === 'str' ? loss.s : loss.t === 'ns' ? loss.path.split('.').pop() ?? '' : loss.t === 'net' && loss.n.type === 'loss' ? loss.n.key : undefined;
            if (!key) throw this.ip.err(at, 'cannot read the loss');
            n.loss = { type: 'loss', key, span: at, fromLogits: loss.t === 'net' && loss.n.type === 'loss' ? loss.n.fromLogits : undefined };
          }
          return { t: 'none' };
        }
        case 'fit': {
          const cfg = c.args[2] && c.args[2].t === 'obj' ? c.args[2].fields : c.kw;
          const num = (v: V | undefined): number | undefined => (v && isNum(v) ? v.e.value : undefined);
          const sh = cfg.get('shuffle');
          n.fit = { x: c.kw.get('x') ?? c.args[0], y: c.kw.get('y') ?? c.args[1], epochs: num(cfg.get('epochs')), batchSize: num(cfg.get('batch_size') ?? cfg.get('batchSize')), shuffle: sh?.t === 'bool' ? sh.b : undefined };
          return { t: 'none' };
        }
        case 'parameters': case 'named_parameters':
          return { t: 'net', n };
        case 'set_weights': {
          this.setKerasWeights(n.items.filter((l) => l.kind === 'dense'), a0, at);
          return { t: 'none' };
        }
        default:
          return { t: 'opaque', what: `model.${name}()` };
      }
    }
    return { t: 'none' };
  }

  /** Keras set_weights([W1, b1, W2, b2, …]) with W in (in × out). */
  private setKerasWeights(dense: Layer[], v: V | undefined, at: Span): void {
    if (!v || v.t !== 'arr') throw this.ip.err(at, 'set_weights needs a list [W, b, …]');
    for (let k = 0; k < dense.length && 2 * k < v.items.length; k++) {
      const W = this.numbersOf(v.items[2 * k], at);
      if (!Array.isArray(W[0])) throw this.ip.err(at, 'a kernel needs rows');
      const Wt = (W as number[][])[0].map((_, j) => (W as number[][]).map((r) => r[j]));
      dense[k].weight = Wt;
      const b = v.items[2 * k + 1];
      if (b) dense[k].bias = (this.numbersOf(b, at) as number[]).flat() as number[];
    }
  }
}
