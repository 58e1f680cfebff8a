#!/usr/bin/python3
"""Executed oracle for test/corpus/*.json.

Run with Debian's interpreter (python3-numpy, python3-torch, python3-sympy):

    /usr/bin/python3 scripts/corpus_oracle.py [category.json ...]

For every case it computes `expect` by EXECUTING the case's own source, never
from the project's code:

- Python (`.py` and the code cells of `.ipynb`, in order): the source is run
  with exec() in a fresh namespace inside a temporary folder holding the
  case's `files` (and any generated CSV), with plotting and helper modules
  stubbed, micrograd's Value and TensorFlow's Variable backed by float64 torch leaves (TensorFlow's
  ops, GradientTape and optimizers by torch's, see tensorflow_module) and torch's
  default dtype float64.
    * oracle.method "capture": a profiler records the arguments of the first
      call (or call number oracle.callIndex) of function oracle.fn that the
      file itself makes (in main(), a loop, print(...), an f-string...).  The
      cost is then re-evaluated with those data arguments and the case's
      parameters set to `at` (when a case has no `at`, `at` is taken from the
      captured call).
    * oracle.method "call": the expression oracle.call is evaluated in the
      namespace left by the source, with each scalar parameter bound to its
      value and each vector parameter (w[0], w[1], ...) to a numpy array
      (oracle.shapes gives a shape such as [2, 1]).  oracle.pick selects one
      value of a tuple result.
    * oracle.method "rerun": a forward pass over plain numbers (w1, w2 = 0.15,
      0.2 ... E = ...): the parameters are the names the script first
      assigns a number to; the script is executed again with those numbers
      replaced by the point's values (its syntax tree edited, nothing else),
      and oracle.output names the loss it leaves behind.
    * oracle.method "script": no def, the script itself builds the loss:
      the leaves (Value(...) literals, tensors with requires_grad=True) are the
      parameters, oracle.output names the loss; the gradient is the .grad the
      script's own backward() (or ours) leaves on each leaf.
  The gradient of "capture" and "call" cases is the complex step
  Im f(p + i h e_k) / h (h = 1e-30, exact to rounding), checked against
  Richardson-extrapolated central differences; where complex numbers cannot
  flow through the code (abs, comparisons, float()), the central
  differences are used and the oracle says so.
- JavaScript / TypeScript: scripts/corpus_oracle.mjs runs the source in a
  node vm (TypeScript stripped by esbuild), with the same capture/call
  methods, value exact, gradient by Richardson-extrapolated central
  differences.
- Markdown / math notation ("sympy"): oracle.expr is a hand transcription
  of the formula as a Python expression over the data (the Markdown table's
  columns, read from the case's source), with the parameters sympy symbols;
  value and gradient are exact (sympy diff, evaluated to 17 digits).
- "symbolic": the case cannot run on its own (no data anywhere); expect
  records the outcome the acceptance README prescribes instead
  (`data.bound: false`, exit 0).
- "refusal": the case must be refused with a located message; nothing to
  compute.

The script rewrites `expect` (and `at` when captured) in place and prints one
line per case.
"""
import ast
import builtins
import contextlib
import glob
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import types
import warnings

import numpy as np
import sympy
import torch

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, 'test', 'corpus')


# --------------------------------------------------------------- generated data
def generate_csv(spec):
    """Deterministic CSV text; the same rule is implemented in test/unit/corpus.test.ts.

    kind "linear-noise": rows i = 0..rows-1, x = (i mod 1000) / 100 written with two decimals,
    y = a·x + b + ((i·7919) mod 101 − 50) / 100, computed in integer hundredths so both
    languages print the same text.
    """
    assert spec['kind'] == 'linear-noise'
    a, b = spec['a'], spec['b']  # integers
    lines = [spec.get('header', 'x,y')]
    for i in range(spec['rows']):
        xh = i % 1000                                    # x in hundredths
        yh = a * xh + 100 * b + ((i * 7919) % 101 - 50)  # y in hundredths
        lines.append(f'{fmt_hundredths(xh)},{fmt_hundredths(yh)}')
    return '\n'.join(lines) + '\n'


def fmt_hundredths(v):
    sign = '-' if v < 0 else ''
    v = abs(v)
    return f'{sign}{v // 100}.{v % 100:02d}'


# --------------------------------------------------------------------- stubs
class _Anything:
    """A module or object whose every attribute is a no-op callable (plots, lab helpers)."""

    def __init__(self, name='stub'):
        self._name = name

    def __getattr__(self, item):
        if item.startswith('__'):
            raise AttributeError(item)
        return _Anything(self._name + '.' + item)

    def __call__(self, *a, **k):
        return _Anything(self._name + '()')

    def __iter__(self):
        return iter([_Anything(), _Anything()])


def value_leaf(data, *a, **k):
    """micrograd's Value(...) as a float64 torch leaf: its .grad after backward() is the gradient."""
    t = torch.tensor(float(data), dtype=torch.float64, requires_grad=True)
    return t


def tensorflow_module():
    """TensorFlow (no Debian package): the corpus's TF scripts run on torch, as micrograd's do.

    tf.Variable is a float64 torch leaf, tf.constant a tensor, the ops torch's, and GradientTape's
    gradient() torch.autograd.grad (the graph kept, so the oracle's own backward() can follow)."""
    def tensor(v, *a, **k):
        return v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=torch.float64)

    class GradientTape:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def watch(self, x):
            x.requires_grad_(True)

        def gradient(self, target, sources):
            many = isinstance(sources, (list, tuple))
            grads = torch.autograd.grad(target, list(sources) if many else [sources], retain_graph=True)
            return list(grads) if many else grads[0]

    def reduce(fn):
        return lambda x, axis=None, **k: fn(x) if axis is None else fn(x, dim=axis)

    # a TF tensor's .numpy() reads a variable's value too, where torch's asks for detach() first
    if not getattr(torch.Tensor.numpy, 'tf', False):
        numpy = torch.Tensor.numpy
        torch.Tensor.numpy = lambda self, *a, **k: numpy(self.detach(), *a, **k)
        torch.Tensor.numpy.tf = True
    tf = types.ModuleType('tensorflow')
    tf.Variable = lambda v, *a, **k: tensor(v).detach().clone().requires_grad_(True)
    tf.constant = tensor
    tf.GradientTape = GradientTape
    ops = dict(square=torch.square, exp=torch.exp, log=torch.log, sqrt=torch.sqrt, abs=torch.abs, tanh=torch.tanh,
               sigmoid=torch.sigmoid, relu=torch.relu, add=torch.add, subtract=torch.sub, multiply=torch.mul,
               divide=torch.div, matmul=torch.matmul, pow=torch.pow,
               reduce_mean=reduce(torch.mean), reduce_sum=reduce(torch.sum))
    for name, f in ops.items():
        setattr(tf, name, f)
    tf.math = types.SimpleNamespace(**ops)

    class Optimizer:
        def __init__(self, learning_rate=0.001, *a, **k):
            self.lr = learning_rate

        def minimize(self, loss, var_list):
            grads = torch.autograd.grad(loss(), list(var_list))
            with torch.no_grad():
                for v, g in zip(var_list, grads):
                    v -= self.lr * g
    tf.keras = types.SimpleNamespace(optimizers=types.SimpleNamespace(SGD=Optimizer, Adam=Optimizer))
    tf.nn = types.SimpleNamespace(sigmoid=torch.sigmoid, relu=torch.relu, tanh=torch.tanh)
    return tf


class _MiniFrame:
    """Just enough of pandas.read_csv for the corpus: columns by name, .values, .to_numpy(), .iloc."""

    def __init__(self, cols, data):
        self.columns = cols
        self._data = data  # 2-D array

    def __getitem__(self, key):
        if isinstance(key, list):
            return _MiniFrame(key, self._data[:, [self.columns.index(k) for k in key]])
        return _MiniSeries(self._data[:, self.columns.index(key)])

    @property
    def values(self):
        return self._data.copy()

    def to_numpy(self, *a, **k):
        return self._data.copy()

    @property
    def shape(self):
        return self._data.shape

    def __len__(self):
        return self._data.shape[0]

    def head(self, *a):
        return self

    @property
    def iloc(self):
        frame = self

        class _I:
            def __getitem__(self, key):
                r = frame._data[key]
                return _MiniSeries(r) if r.ndim == 1 else _MiniFrame(None, r)
        return _I()


class _MiniSeries:
    def __init__(self, data):
        self._data = data

    @property
    def values(self):
        return self._data.copy()

    def to_numpy(self, *a, **k):
        return self._data.copy()

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self):
        return len(self._data)


def _read_csv(path, sep=',', header='infer', names=None, **k):
    with open(path) as fh:
        rows = [l.strip() for l in fh if l.strip()]
    if header is None:
        cols = names or list(range(len(rows[0].split(sep))))
    else:
        cols, rows = rows[0].split(sep), rows[1:]
    data = np.array([[float(v) for v in r.split(sep)] for r in rows])
    return _MiniFrame(cols, data)


STUBBED = ('matplotlib', 'seaborn', 'lab_utils_common', 'lab_utils_uni', 'lab_utils_multi', 'public_tests',
           'utils', 'IPython', 'tqdm', 'sklearn', 'scipy')


class _NumpyWrapper(_Anything):
    """jax and autograd (not installed here): their `numpy` is NumPy's API, so NumPy itself stands in; grad and the rest are stubs."""
    numpy = np


NUMPY_WRAPPERS = ('jax', 'autograd')


def make_import():
    real_import = builtins.__import__
    micro = types.ModuleType('micrograd')
    micro_engine = types.ModuleType('micrograd.engine')
    micro_engine.Value = value_leaf
    micro.engine = micro_engine
    pandas = types.ModuleType('pandas')
    pandas.read_csv = _read_csv
    tensorflow = tensorflow_module()

    def imp(name, globals=None, locals=None, fromlist=(), level=0):
        root = name.split('.')[0]
        if root == 'micrograd':
            return micro_engine if fromlist else micro
        if root == 'pandas':
            return pandas
        if root == 'tensorflow':
            return tensorflow
        if root in NUMPY_WRAPPERS:
            return np if name == f'{root}.numpy' and fromlist else _NumpyWrapper(name)
        if root in STUBBED and not os.path.exists(f'{root}.py'):  # a course's helpers not given beside the case
            return _Anything(name)
        return real_import(name, globals, locals, fromlist, level)
    return imp


def fresh_namespace():
    b = dict(vars(builtins))
    b['__import__'] = make_import()
    b['input'] = lambda *a: (_ for _ in ()).throw(RuntimeError('input() in a corpus case'))
    return {'__name__': '__main__', '__builtins__': b}


def python_code(case):
    """The code the kernel would run: the file, or every code cell of the notebook in order."""
    if case['language'] != 'ipynb':
        return case['source']
    nb = json.loads(case['source'])
    parts = []
    for cell in nb['cells']:
        if cell['cell_type'] != 'code':
            continue
        src = cell['source'] if isinstance(cell['source'], str) else ''.join(cell['source'])
        # IPython magics and shell escapes are the kernel's, not Python's
        parts.append('\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in src.split('\n')))
    return '\n\n'.join(parts)


@contextlib.contextmanager
def in_case_folder(case):
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        for name, content in (case.get('files') or {}).items():
            with open(os.path.join(d, name), 'w') as fh:
                fh.write(content)
        for name, spec in (case.get('generate') or {}).items():
            with open(os.path.join(d, name), 'w') as fh:
                fh.write(generate_csv(spec))
        os.chdir(d)
        # modules beside the case (`from lab_utils import sigmoid`) import from its folder, fresh for each case
        sys.path.insert(0, d)
        before = set(sys.modules)
        try:
            yield d
        finally:
            os.chdir(old)
            sys.path.remove(d)
            for name in set(sys.modules) - before:
                if f'{name}.py' in (case.get('files') or {}):
                    del sys.modules[name]


def run_python(case, capture_fn=None, call_index=0):
    """exec the case; return (namespace, captured call or None)."""
    ns = fresh_namespace()
    code = compile(python_code(case), '<case>', 'exec')
    captured = []

    def prof(frame, event, arg):
        if event == 'call' and capture_fn and frame.f_code.co_name == capture_fn and frame.f_code.co_filename == '<case>':
            co = frame.f_code
            names = co.co_varnames[:co.co_argcount + co.co_kwonlyargcount]
            captured.append(({n: frame.f_locals[n] for n in names}, frame))
        return None

    out = io.StringIO()
    sys.setprofile(prof if capture_fn else None)
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            exec(code, ns)
    finally:
        sys.setprofile(None)
    call = None
    if capture_fn:
        if len(captured) <= call_index:
            raise RuntimeError(f'{capture_fn} is never called by the file')
        args, frame = captured[call_index]
        call = {'args': args, 'code': frame.f_code, 'globals': frame.f_globals}
    return ns, call


def pinned_script(source, params):
    """The script compiled with the first number each parameter is assigned (w1 = 0.15, or w1, w2 = 0.15, 0.2
    at module level) read from __point__ instead; and those numbers, the script's own starting point."""
    tree = ast.parse(source)
    start = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        t, v = node.targets[0], node.value
        tuple_ = isinstance(t, ast.Tuple) and isinstance(v, ast.Tuple) and len(t.elts) == len(v.elts)
        pairs = list(zip(t.elts, v.elts)) if tuple_ else [(t, v)]
        for k, (name, val) in enumerate(pairs):
            if not (isinstance(name, ast.Name) and name.id in params and name.id not in start):
                continue
            try:
                start[name.id] = float(ast.literal_eval(val))
            except ValueError:
                continue
            sub = ast.Subscript(value=ast.Name('__point__', ast.Load()), slice=ast.Constant(name.id), ctx=ast.Load())
            if tuple_:
                v.elts[k] = sub
            else:
                node.value = sub
    missing = [p for p in params if p not in start]
    if missing:
        raise RuntimeError(f'no number assigned to {missing} in the script')
    ast.fix_missing_locations(tree)
    return compile(tree, '<case>', 'exec'), start


# ---------------------------------------------------------------- derivatives
def group_params(params):
    """'w[0]', 'w[1]', 'b' -> {'w': ['w[0]', 'w[1]'], 'b': 'b'} (insertion order kept)."""
    groups = {}
    for p in params:
        if '[' in p:
            groups.setdefault(p.split('[')[0], []).append(p)
        else:
            groups[p] = p
    return groups


def build_args(params, point, shapes, dtype):
    out = {}
    for name, members in group_params(params).items():
        if isinstance(members, list):
            # w[0], w[1] … a vector; W[0][1] … a matrix (row, column), as the command line names them
            index = [tuple(int(k) for k in re.findall(r'\[(\d+)\]', m)) for m in members]
            arr = np.zeros(tuple(max(ix[d] for ix in index) + 1 for d in range(len(index[0]))), dtype=dtype)
            for ix, m in zip(index, members):
                arr[ix] = point[m]
            if name in shapes:
                arr = arr.reshape(shapes[name])
            out[name] = arr
        else:
            out[name] = point[members]
    return out


def to_scalar(v):
    if isinstance(v, torch.Tensor):
        v = v.detach().numpy()
    v = np.asarray(v)
    if v.size != 1:
        raise RuntimeError(f'the cost is not a scalar: shape {v.shape}')
    return v.reshape(()).item()


def derivatives(f, params, at):
    """value, gradient, how: complex step checked against Richardson central differences."""
    value = to_scalar(f({p: float(at[p]) for p in params}, float))
    fd = {}
    for p in params:
        def g(h):
            plus = dict(at); plus[p] = at[p] + h
            minus = dict(at); minus[p] = at[p] - h
            return (to_scalar(f(plus, float)) - to_scalar(f(minus, float))) / (2 * h)
        h = 1e-3 * max(1.0, abs(at[p]))
        d1, d2, d3 = g(h), g(h / 2), g(h / 4)
        r1, r2 = (4 * d2 - d1) / 3, (4 * d3 - d2) / 3
        fd[p] = (16 * r2 - r1) / 15
    try:
        cs = {}
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            for p in params:
                pt = {q: complex(at[q]) for q in params}
                pt[p] = complex(at[p], 1e-30)
                r = f(pt, complex)
                if isinstance(r, torch.Tensor):
                    raise TypeError('torch')
                r = np.asarray(r)
                if r.size != 1 or not np.iscomplexobj(r):
                    raise TypeError('complex step did not flow through')
                cs[p] = r.reshape(()).item().imag / 1e-30
        for p in params:
            if not math.isclose(cs[p], fd[p], rel_tol=1e-6, abs_tol=1e-7 * max(1.0, abs(value))):
                # abs() and norm() take the modulus of a complex number: the complex step is then wrong
                raise ValueError(f'complex step {cs[p]} and central differences {fd[p]} disagree on {p}')
        return value, cs, 'complex step (h = 1e-30) on the executed code, checked against Richardson central differences'
    except (TypeError, ValueError, RuntimeError, np.ComplexWarning, RuntimeWarning, OverflowError, AttributeError) as e:
        # torch tensors, math.exp, abs(): complex numbers cannot flow through the code
        return value, fd, f'Richardson-extrapolated central differences on the executed code (complex step unusable here: {type(e).__name__}: {str(e)[:80]})'


def call_with(call, params, at, shapes):
    fn = types.FunctionType(call['code'], call['globals'])
    base = dict(call['args'])

    def f(point, dtype):
        args = dict(base)
        for name, v in build_args(params, point, shapes, dtype).items():
            if name not in args:
                raise RuntimeError(f'parameter {name} is not an argument of the function')
            if isinstance(v, np.ndarray) and isinstance(args[name], np.ndarray):
                v = v.reshape(args[name].shape)
            args[name] = v
        with contextlib.redirect_stdout(io.StringIO()):
            return fn(**args)
    return f


def at_from_call(call, params):
    at = {}
    for name, members in group_params(params).items():
        v = call['args'][name]
        if isinstance(members, list):
            flat = np.asarray(v, dtype=float).reshape(-1)
            for k, m in enumerate(members):
                at[m] = float(flat[k])
        else:
            at[members] = float(v)
    return at


def pick(result, index):
    if index is None:
        return result
    return result[index]


def oracle_python(case):
    o = case['oracle']
    params = case['params']
    shapes = {k: tuple(v) for k, v in (o.get('shapes') or {}).items()}
    with in_case_folder(case):
        if o['method'] == 'capture':
            ns, call = run_python(case, o['fn'], o.get('callIndex', 0))
            if 'at' not in case:
                case['at'] = at_from_call(call, params)
            inner = call_with(call, params, case['at'], shapes)
            f = (lambda point, dtype: pick(inner(point, dtype), o.get('pick')))
            value, grad, how = derivatives(f, params, case['at'])
            how = f'executed the file; captured its call of {o["fn"]}; ' + how
        elif o['method'] == 'call':
            ns, _ = run_python(case)

            def f(point, dtype):
                local = build_args(params, point, shapes, dtype)
                with contextlib.redirect_stdout(io.StringIO()):
                    return pick(eval(o['call'], ns, local), o.get('pick'))
            value, grad, how = derivatives(f, params, case['at'])
            how = f'executed the file, then {o["call"]}; ' + how
        elif o['method'] == 'rerun':
            code, start = pinned_script(python_code(case), params)
            if 'at' not in case:
                case['at'] = start

            def f(point, dtype):
                ns = fresh_namespace()
                ns['__point__'] = point
                with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    exec(code, ns)
                return ns[o['output']]
            value, grad, how = derivatives(f, params, case['at'])
            how = 'executed the script with its weights set to the point (syntax tree edited); ' + how
        elif o['method'] == 'script':
            ns, _ = run_python(case)
            loss = ns[o['output']]
            if not isinstance(loss, torch.Tensor):
                raise RuntimeError('the output is not a tensor')
            # 'x' is the tensor x; 'w[0]' an element of w (as the command line names a vector's elements)
            leaves = {p: (ns[p.split('[')[0]], tuple(int(k) for k in re.findall(r'\[(\d+)\]', p))) for p in params}
            if any(t.grad is None for t, _ in leaves.values()):
                for t, _ in leaves.values():
                    t.grad = None
                loss.backward()
            value = loss.item()
            grad = {p: t.grad[ix].item() for p, (t, ix) in leaves.items()}
            if 'at' not in case:
                case['at'] = {p: t.detach()[ix].item() for p, (t, ix) in leaves.items()}
            how = 'executed the script (Value and tensors as float64 torch leaves); the gradient is the leaves\' .grad after backward()'
        else:
            raise RuntimeError(o['method'])
    return value, grad, how


# -------------------------------------------------------------------- sympy
def markdown_table(source):
    """The first Markdown table of the source: {column: [floats]}."""
    rows = [l.strip() for l in source.split('\n') if l.strip().startswith('|')]
    header = [c.strip() for c in rows[0].strip('|').split('|')]
    body = [[c.strip() for c in r.strip('|').split('|')] for r in rows[2:]]
    return {h: [sympy.Rational(r[k]) for r in body] for k, h in enumerate(header)}


def oracle_sympy(case):
    o = case['oracle']
    params = case['params']
    syms = {p: sympy.Symbol(p.replace('[', '_').replace(']', '')) for p in params}
    env = {'sympy': sympy, 'exp': sympy.exp, 'log': sympy.log, 'sqrt': sympy.sqrt, 'Abs': sympy.Abs, 'R': sympy.Rational}
    # the data of a sum: the first Markdown table (a note may also have tables of words)
    if case['language'] == 'markdown' and re.search(r'\b(rows|table|m)\b', o['expr']):
        table = markdown_table(case['source'])
        env['table'] = table
        env['rows'] = list(zip(*table.values()))
        env['m'] = len(env['rows'])
    env.update({k: v for k, v in syms.items()})
    env.update({p.replace('[', '_').replace(']', ''): s for p, s in syms.items()})
    expr = sympy.sympify(eval(o['expr'], env))
    subs = {syms[p]: sympy.nsimplify(case['at'][p], rational=True) for p in params}
    value = float(sympy.N(expr.subs(subs), 30))
    grad = {p: float(sympy.N(sympy.diff(expr, syms[p]).subs(subs), 30)) for p in params}
    return value, grad, 'sympy, exactly, from the transcription oracle.expr over the data in the source'


# ---------------------------------------------------------------------- main
def main():
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(CORPUS, '*.json')))
    js_files = []
    failures = 0
    for path in files:
        if os.path.basename(path) == 'known-gaps.json':
            continue
        cases = json.load(open(path))
        has_js = False
        for case in cases:
            o = case['oracle']
            m = o['method']
            try:
                if case.get('refusal'):
                    case.pop('expect', None)
                    o['computed'] = 'none: the case must be refused with a located message'
                    print(f'{case["id"]:40s} refusal: {case["refusal"]}')
                    continue
                if m == 'symbolic':
                    o['computed'] = 'not executable on its own (no data anywhere): the outcome the acceptance README prescribes'
                    print(f'{case["id"]:40s} symbolic: {json.dumps(case["expect"])}')
                    continue
                if case['language'] in ('javascript', 'typescript') or o.get('runtime') == 'node':
                    has_js = True
                    continue
                if m == 'sympy':
                    value, grad, how = oracle_sympy(case)
                else:
                    value, grad, how = oracle_python(case)
                case['expect'] = {'value': value, 'gradient': grad}
                o['computed'] = how
                print(f'{case["id"]:40s} {value!r:24s} {grad}')
            except Exception as e:  # noqa: BLE001 - report every broken case, then fail
                failures += 1
                print(f'{case["id"]:40s} ORACLE FAILED: {type(e).__name__}: {e}')
        with open(path, 'w') as fh:
            json.dump(cases, fh, indent=1, ensure_ascii=False)
            fh.write('\n')
        if has_js:
            js_files.append(path)
    for path in js_files:
        r = subprocess.run(['node', os.path.join(ROOT, 'scripts', 'corpus_oracle.mjs'), path])
        failures += r.returncode
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
