/**
 * Every acceptance case through the command line, as a shell runs it:
 * `node dist/cli.js analyze <file> --line N --at … --lr … --json`.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BadCase, CLI, EXTENSION, FunctionCase, ROOT, RealworldCase, StatusCase, acceptance, near } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-cli-'));

function run(file: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', file, ...args], { encoding: 'utf8', timeout: 20000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(id: string, language: string, source: string): string {
  const file = path.join(dir, id + EXTENSION[language]);
  fs.writeFileSync(file, source);
  return file;
}

const atArg = (at: Record<string, number>): string => Object.entries(at).map(([k, v]) => `${k}=${v}`).join(',');

interface FunctionJson {
  kind: string; name: string | null; params: string[]; value: number | null; expression: string;
  gradient: Record<string, string>; gradientAt: Record<string, number | null>; numericGradientAt: Record<string, number | null>;
  range: { startLine: number; endLine: number };
  descent: { status: string; learningRate: number; steps: Array<{ point: Record<string, number>; value: number | null; gradient: Record<string, number> }> };
  graph: { nodes: Array<{ id: number; op: string; label: string | null; value: number | null; grad: number | null }>; edges: Array<[number, number]>; output: number };
}

describe('command line: functions.json', () => {
  for (const c of acceptance<FunctionCase>('functions.json')) {
    describe(c.id, () => {
      const file = write(c.id, c.language, c.source);
      const r = run(file, ['--line', String(c.line), '--at', atArg(c.at), '--lr', String(c.lr), '--json']);
      const j = JSON.parse(r.stdout || '{}') as FunctionJson;

      it('exits 0 with a function object', () => {
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(j.kind, 'function');
        assert.deepStrictEqual(j.params, c.params);
      });
      it('f(at) matches the independent value', () => {
        assert.ok(j.value !== null && near(j.value, c.expect.value), `value ${j.value} vs ${c.expect.value}`);
      });
      it('symbolic and numeric partials match the independent gradient', () => {
        for (const p of c.params) {
          const g = c.expect.gradient[p];
          assert.ok(near(j.gradientAt[p] as number, g), `symbolic ∂/∂${p} ${j.gradientAt[p]} vs ${g}`);
          assert.ok(near(j.numericGradientAt[p] as number, g, 1e-5, 1e-5), `numeric ∂/∂${p} ${j.numericGradientAt[p]} vs ${g}`);
          assert.ok(typeof j.gradient[p] === 'string' && j.gradient[p].length > 0, `a symbolic form for ${p}`);
        }
      });
      it(`100 plain descent steps at η = ${c.lr} lower f at every step`, () => {
        assert.strictEqual(j.descent.learningRate, c.lr);
        const values = j.descent.steps.map((s) => s.value as number);
        assert.ok(values.length >= 2, 'took steps');
        for (let k = 1; k < values.length; k++) assert.ok(values[k] <= values[k - 1] + 1e-12, `f rose at step ${k}: ${values[k - 1]} → ${values[k]}`);
        assert.ok(['converged', 'max-steps'].includes(j.descent.status), j.descent.status);
        assert.deepStrictEqual(j.descent.steps[0].point, c.at);
      });
      it('graph: output has value f(at) and grad 1, inputs carry the gradient, locals are labelled', () => {
        const out = j.graph.nodes[j.graph.output];
        assert.ok(out.value !== null && near(out.value, c.expect.value));
        assert.strictEqual(out.grad, 1);
        for (const p of c.params) {
          const input = j.graph.nodes.find((n) => n.op === 'input' && n.label === p);
          assert.ok(input, `input node for ${p}`);
          assert.ok(near(input.grad as number, c.expect.gradient[p]), `backprop ∂/∂${p} ${input.grad}`);
        }
        const locals = [...c.source.matchAll(/^\s+([a-z]\w*)\s*=(?!=)/gm)].map((m) => m[1]);
        for (const l of locals) assert.ok(j.graph.nodes.some((n) => n.label === l), `local ${l} is a labelled node`);
        for (const [a, b] of j.graph.edges) assert.ok(a < b, 'edges go from operand to operation in tape order');
      });
    });
  }
});

describe('command line: realworld.json (code as learners write it)', () => {
  // θ_0, θ0 and theta0 name the same parameter (the case's note allows each spelling)
  const key = (n: string): string => n.replace(/_/g, '').replace(/^theta/, 'θ');
  for (const c of acceptance<RealworldCase>('realworld.json')) {
    describe(c.id, () => {
      // each case in its own folder, with the data files that lie beside it
      const folder = fs.mkdtempSync(path.join(dir, `${c.id}-`));
      const file = path.join(folder, `main${EXTENSION[c.language]}`);
      fs.writeFileSync(file, c.source);
      for (const [name, content] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(folder, name), content);
      const args = ['--line', String(c.line), '--json'];
      if (c.cell !== undefined) args.push('--cell', String(c.cell));
      if (c.kind === 'function') args.push('--at', atArg(c.at ?? {}));
      else args.push('--epochs', '1');
      const r = run(file, args);

      if (c.kind === 'function') {
        const j = JSON.parse(r.stdout || '{}') as FunctionJson;
        const byKey = (rec: Record<string, number | null>): Record<string, number | null> => Object.fromEntries(Object.entries(rec ?? {}).map(([k, v]) => [key(k), v]));
        it(`reads ${(c.params ?? []).join(', ')} as the parameters`, () => {
          assert.strictEqual(r.code, 0, r.stderr);
          assert.strictEqual(j.kind, 'function');
          assert.deepStrictEqual(j.params.map(key), (c.params ?? []).map(key));
        });
        it('f(at) and the symbolic, numeric and backprop gradients match sympy to 1e-6', () => {
          assert.ok(j.value !== null && near(j.value, c.expect.value as number, 1e-6, 0), `value ${j.value} vs ${c.expect.value}`);
          const sym = byKey(j.gradientAt);
          const numeric = byKey(j.numericGradientAt);
          for (const [p, g] of Object.entries(c.expect.gradient ?? {})) {
            assert.ok(near(sym[key(p)] as number, g, 1e-6, 1e-9), `symbolic ∂/∂${p} ${sym[key(p)]} vs ${g}`);
            assert.ok(near(numeric[key(p)] as number, g, 1e-5, 1e-6), `numeric ∂/∂${p} ${numeric[key(p)]} vs ${g}`);
            const input = j.graph.nodes.find((n) => n.op === 'input' && key(n.label ?? '') === key(p));
            assert.ok(input && near(input.grad as number, g, 1e-6, 1e-9), `backprop ∂/∂${p} ${input?.grad} vs ${g}`);
          }
        });
        it('descent starts at the point the file gives (or --at)', () => {
          assert.deepStrictEqual(Object.fromEntries(Object.entries(j.descent.steps[0].point).map(([k, v]) => [key(k), v])), Object.fromEntries(Object.entries(c.at ?? {}).map(([k, v]) => [key(k), v])));
        });
      } else {
        interface NetJson {
          kind: string; inputs: number; layers: Array<{ units: number; activation: string }>; parameters: number; loss: string;
          optimizer: { name: string; learningRate: number }; data: { source: string; samples: number }; initialLoss: number;
          weights: { initial: Array<{ W: number[][]; b: number[] }>; final: Array<{ W: number[][]; b: number[] }> };
          training: { epochs: number; loss: number[] };
        }
        const j = JSON.parse(r.stdout || '{}') as NetJson;
        const e = c.expect;
        it(`reads ${e.inputs}-${(e.layers ?? []).map((l) => `${l.units} ${l.activation}`).join('-')}, ${e.loss}, ${e.optimizer?.name} η=${e.optimizer?.learningRate}`, () => {
          assert.strictEqual(r.code, 0, r.stderr);
          assert.strictEqual(j.kind, 'network');
          assert.strictEqual(j.inputs, e.inputs);
          assert.deepStrictEqual(j.layers.map((l) => ({ units: l.units, activation: l.activation })), e.layers);
          assert.strictEqual(j.parameters, e.parameters);
          assert.strictEqual(j.loss, e.loss);
          assert.deepStrictEqual({ name: j.optimizer.name, learningRate: j.optimizer.learningRate }, e.optimizer);
          if (e.dataSamples !== undefined) assert.deepStrictEqual(j.data, { source: 'file', samples: e.dataSamples });
        });
        it('--epochs 1 trains one epoch; weights.initial and weights.final have each layer\'s shape', () => {
          assert.strictEqual(j.training.epochs, 1);
          assert.strictEqual(j.training.loss.length, 1);
          const sizes = [j.inputs, ...j.layers.map((l) => l.units)];
          for (const w of [j.weights.initial, j.weights.final]) {
            assert.strictEqual(w.length, j.layers.length);
            w.forEach((layer, k) => {
              assert.strictEqual(layer.W.length, sizes[k + 1]);
              assert.ok(layer.W.every((row) => row.length === sizes[k]));
              assert.strictEqual(layer.b.length, sizes[k + 1]);
            });
          }
          assert.strictEqual(j.training.loss[0], j.initialLoss, 'the first epoch\'s loss is the loss at the starting weights');
        });
        if (e.initialLoss !== undefined) {
          it(`the weights set in the file give the published loss ${e.initialLoss}`, () => {
            assert.ok(near(j.initialLoss, e.initialLoss as number, 0, 1e-9), `${j.initialLoss}`);
          });
        }
        if (e.afterOneStep) {
          const step = e.afterOneStep;
          it(`after one step, layer ${step.layer}'s weights are the published ones to 1e-8`, () => {
            const W = j.weights.final[step.layer - 1].W;
            step.W.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(W[a][b] - v) <= 1e-8, `W[${a}][${b}] ${W[a][b]} vs ${v}`)));
          });
        }
      }
    });
  }

  it('a message in a notebook names the cell and the line inside it', () => {
    const nb = { cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Notes'] },
      { cell_type: 'code', metadata: {}, source: ['import numpy as np\n', 'xs = np.array([1.0, 2.0])'] },
      { cell_type: 'code', metadata: {}, source: ['def cost(w):\n', '    return np.mean((w * xs - 1) ** 2) + k\n'] },
    ], metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 };
    const file = path.join(dir, 'located.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb));
    const r = run(file, ['--cell', '3', '--line', '1', '--json']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /located\.ipynb:cell 3:2:41: unknown name 'k'/);
  });
  it('a module-level line that cannot be read does not stop the function below it (the lazily loaded reader shares the error type)', () => {
    const file = path.join(dir, 'unreadable-line.py');
    fs.writeFileSync(file, 'y = k + 1\ndef f(x):\n    return x * 2\n');
    const r = run(file, ['--line', '2', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual((JSON.parse(r.stdout) as FunctionJson).gradientAt.x, 2);
  });
  it('--export: the trained weights as JSON equal weights.final; PyTorch code names the state_dict keys of an nn.Module; the loss curve as CSV', () => {
    const file = path.join(ROOT, 'examples', 'xor_module.py');
    const j = JSON.parse(run(file, ['--line', '9', '--epochs', '7', '--json']).stdout) as { weights: { final: unknown[] }; training: { loss: number[] } };
    const exported = JSON.parse(run(file, ['--line', '9', '--epochs', '7', '--export', 'json']).stdout) as { epochs: number; layers: Array<{ W: number[][]; b: number[] }> };
    assert.strictEqual(exported.epochs, 7);
    assert.deepStrictEqual(exported.layers.map((l) => ({ W: l.W, b: l.b })), j.weights.final);
    const code = run(file, ['--line', '9', '--epochs', '7', '--export', 'code']).stdout;
    assert.match(code, /"hidden\.weight": torch\.tensor\(/);
    assert.match(code, /"out\.bias": torch\.tensor\(/);
    assert.match(code, /net\.load_state_dict\(state\)/);
    const csv = run(file, ['--line', '9', '--epochs', '7', '--export', 'csv']).stdout.trim().split('\n');
    assert.strictEqual(csv[0], 'epoch,loss');
    assert.deepStrictEqual(csv.slice(1).map((l) => Number(l.split(',')[1])), j.training.loss);
    const fn = run(path.join(ROOT, 'examples', 'loss.py'), ['--line', '7', '--export', 'json']);
    assert.strictEqual(fn.code, 2);
    assert.match(fn.stderr, /--export json is for networks; a function's descent exports as numpy or js/);
  });
  it('a CSV beside the file is read as data, never run; a missing one is a located message', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'csv-'));
    const file = path.join(folder, 'fit.py');
    fs.writeFileSync(file, 'import numpy as np\ndata = np.loadtxt("missing.csv", delimiter=",")\nx = data[:, 0]\n\ndef cost(w):\n    return np.mean((w * x) ** 2)\n');
    const r = run(file, ['--line', '5', '--json']);
    assert.strictEqual(r.code, 2);
    // located where the data is used, naming the line that could not be read
    assert.match(r.stderr, /fit\.py:6:\d+: 'x' cannot be read: line 2: cannot read the data file 'missing\.csv'/);
  });
});

describe('command line: status.json (what the end of a descent is)', () => {
  for (const c of acceptance<StatusCase>('status.json')) {
    const allowed = Array.isArray(c.status) ? c.status : [c.status];
    it(`${c.id}: ${allowed.join(' or ')} (${c.why})`, () => {
      const args = ['--line', String(c.line), '--lr', String(c.lr), '--json'];
      if (c.at) args.push('--at', atArg(c.at));
      if (c.steps) args.push('--steps', String(c.steps));
      const r = run(write(`status-${c.id}`, c.language, c.source), args);
      assert.strictEqual(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { descent: { status: string; message: string } };
      assert.ok(allowed.includes(j.descent.status), `${j.descent.status}: ${j.descent.message}`);
    });
  }
});

describe('command line: bad-inputs.json', () => {
  const cases = new Map(acceptance<BadCase>('bad-inputs.json').map((c) => [c.id, c]));
  const runCase = (id: string): { code: number | null; stdout: string; stderr: string; file: string } => {
    const c = cases.get(id) as BadCase;
    const file = write(c.id, c.language, c.source);
    const args = ['--line', String(c.line), '--json'];
    if (c.options?.lr) args.push('--lr', String(c.options.lr));
    if (c.options?.steps) args.push('--steps', String(c.options.steps));
    if (c.options?.at) args.push('--at', atArg(c.options.at));
    return { ...run(file, args), file };
  };
  const located = (r: { stderr: string; file: string }, line: number, re: RegExp): void => {
    const m = new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+): (.*)$`, 'm').exec(r.stderr);
    assert.ok(m, `a file:line:column message, got ${JSON.stringify(r.stderr)}`);
    assert.strictEqual(Number(m[1]), line, `line of ${m[0]}`);
    assert.match(m[3], re);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  };

  it('syntax-error: exit 2, names line 2 and the offending token', () => {
    const r = runCase('syntax-error');
    assert.strictEqual(r.code, 2);
    located(r, 2, /'\*'/);
    assert.match(r.stderr, /:2:15:/, 'column of the second operator');
  });
  it('unbalanced: missing closing parenthesis', () => {
    const r = runCase('unbalanced');
    assert.strictEqual(r.code, 2);
    located(r, 1, /missing closing parenthesis/);
  });
  it('unknown-function: names my_helper', () => {
    const r = runCase('unknown-function');
    assert.strictEqual(r.code, 2);
    located(r, 2, /unknown function 'my_helper'.*not differentiable/);
  });
  it('no-function-here: no function or network at line 1', () => {
    const r = runCase('no-function-here');
    assert.strictEqual(r.code, 2);
    located(r, 1, /no function or network definition found at line 1/);
  });
  it('empty: the document is empty', () => {
    const r = runCase('empty');
    assert.strictEqual(r.code, 2);
    located(r, 1, /document is empty/);
  });
  it('code-injection-js: rejected, nothing executed', () => {
    // the case's code would create /tmp/pwned if it ran: clear it first, so the check never skips itself
    const marker = '/tmp/pwned';
    fs.rmSync(marker, { force: true });
    const r = runCase('code-injection-js');
    assert.strictEqual(r.code, 2);
    located(r, 1, /not part of a math expression|unknown function/);
    assert.ok(!fs.existsSync(marker), '/tmp/pwned was created');
  });
  it('constructor-escape: rejected', () => {
    const r = runCase('constructor-escape');
    assert.strictEqual(r.code, 2);
    located(r, 1, /not part of a math expression|unknown/);
    assert.strictEqual(r.stdout, '');
  });
  it('huge-line: a correct result (2000 terms)', () => {
    const r = runCase('huge-line');
    const j = JSON.parse(r.stdout) as FunctionJson;
    // f(1) counts the terms: every x^k is 1 at x = 1
    const terms = (cases.get('huge-line') as BadCase).source.split('+').length;
    assert.strictEqual(j.value, terms);
    // f'(1) = Σ k over the exponents
    const expected = [...(cases.get('huge-line') as BadCase).source.matchAll(/x\^(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(near(j.gradientAt.x as number, expected), `${j.gradientAt.x} vs ${expected}`);
  });
  it('deep-nesting: a nesting-limit message, no stack overflow', () => {
    const r = runCase('deep-nesting');
    assert.strictEqual(r.code, 2);
    located(r, 1, /nests deeper than \d+ levels/);
  });
  it('diverging-lr: diverged with the step, no NaN shown as a number', () => {
    const r = runCase('diverging-lr');
    assert.strictEqual(r.code, 0);
    const j = JSON.parse(r.stdout) as FunctionJson & { descent: { message: string } };
    assert.strictEqual(j.descent.status, 'diverged');
    assert.match(j.descent.message, /diverged at step \d+/);
    assert.match(j.descent.message, /learning rate/);
    const ws = j.descent.steps.map((s) => Math.abs(s.point.w));
    for (let k = 1; k < ws.length; k++) assert.ok(ws[k] > ws[k - 1], '|w| grows every step');
    assert.doesNotMatch(r.stdout, /NaN|Infinity/);
    assert.match(r.stderr, /diverged at step/);
  });
  it('domain-error: f is undefined at x = -1, no complex number or NaN', () => {
    const r = runCase('domain-error');
    const j = JSON.parse(r.stdout) as FunctionJson;
    assert.strictEqual(j.value, null);
    assert.strictEqual(j.gradientAt.x, null);
    assert.strictEqual(j.descent.status, 'undefined');
    located(r, 3, /f is undefined at x = -1 \(log of a negative number/);
    assert.doesNotMatch(r.stdout, /NaN|Infinity|[0-9]i\b/);
  });
  it('non-differentiable: says the derivative does not exist at x = 0; descent runs from elsewhere', () => {
    const r = runCase('non-differentiable');
    const j = JSON.parse(r.stdout) as FunctionJson & { checks: Array<{ param: string; disagree: boolean; message?: string }> };
    const check = j.checks.find((c) => c.param === 'x');
    assert.ok(check?.disagree, 'flagged');
    assert.match(check?.message ?? '', /does not exist at x = 0/);
    assert.match(r.stderr, /does not exist at x = 0/);
    const file = (r as { file: string }).file;
    const from2 = run(file, ['--at', 'x=2', '--lr', '0.1', '--json']);
    const k = JSON.parse(from2.stdout) as FunctionJson;
    assert.strictEqual(k.gradientAt.x, 1);
    assert.ok((k.descent.steps[k.descent.steps.length - 1].value as number) < 2, 'descent moved downhill');
  });
});

describe('command line: usage and files', () => {
  it('a missing file is a located message with exit 2', () => {
    const r = run(path.join(dir, 'nope.py'), []);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /nope\.py:1:1: no such file/);
  });
  it('an unknown --at parameter names the parameters', () => {
    const file = write('at-unknown', 'plaintext', 'f(w) = w^2\n');
    const r = run(file, ['--at', 'q=1']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /:1:1: .*'q'.*parameters: w/);
  });
  it('piped into a reader that stops early (| head -c 1) while it prints 1 MB, it stops quietly: no stack trace', () => {
    const file = write('piped', 'plaintext', 'f(w) = (w - 3)^2 + 1\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" analyze "${file}" --steps 5000 --lr 0.00001 --json | head -c 1`], { encoding: 'utf8', timeout: 20000 });
    assert.strictEqual(r.stdout, '{');
    assert.strictEqual(r.stderr, '');
  });
  it('a bad --lr is a usage error', () => {
    const file = write('bad-lr', 'plaintext', 'f(w) = w^2\n');
    const r = run(file, ['--lr', '-1']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--lr must be positive/);
  });
  it('the readable report prints the formula, partials and a step table', () => {
    const file = write('report', 'plaintext', 'f(w) = (w - 3)^2 + 1\n');
    const r = run(file, ['--at', 'w=0', '--steps', '5']);
    assert.strictEqual(r.code, 0, r.stderr);
    // the report is for reading: − and ², where the JSON keeps (w - 3) ^ 2
    assert.match(r.stdout, /f\(w\) = \(w − 3\)² \+ 1/);
    assert.match(r.stdout, /∂f\/∂w = 2\(w − 3\)\n/);
    // step 1: w = 0 - 0.1 * (-6) = 0.6
    assert.match(r.stdout, /\n\s+1\s+0\.6\s/);
    assert.match(r.stdout, /max-steps: stopped after 5 steps/);
  });
  it('the readable report writes a partial as the hover does: in the code\'s names, its chain with the factors at the point, then written out', () => {
    const file = write('named', 'python', 'import numpy as np\n\ndef loss(w, b):\n    z = 3.0 * w + b\n    a = 1 / (1 + np.exp(-z))\n    return (a - 0.25) ** 2\n');
    const r = run(file, ['--line', '3', '--at', 'w=1,b=1', '--steps', '1']);
    assert.strictEqual(r.code, 0, r.stderr);
    // at z = 4, by hand: ∂loss/∂a = 2(a − 0.25), ∂a/∂z = a(1 − a), ∂z/∂w = 3
    const a = 1 / (1 + Math.exp(-4));
    const m = /\n {2}∂loss\/∂w = 6\(a − 0\.25\) · a · \(1 − a\)\n {4}by the chain rule: ∂loss\/∂w = ∂loss\/∂a · ∂a\/∂z · ∂z\/∂w = (\S+) · (\S+) · 3\n {4}written out: ∂loss\/∂w = 6\(σ\(3w \+ b\) − 0\.25\) · σ\(3w \+ b\) · \(1 − σ\(3w \+ b\)\)\n/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(near(Number(m[1]), 2 * (a - 0.25), 1e-5) && near(Number(m[2]), a * (1 - a), 1e-5), `${m[1]}, ${m[2]}`);
  });
  it('--optimizer adam runs and reports its name', () => {
    const file = write('adam', 'plaintext', 'f(x, y) = x^2 + 3y^2\n');
    const r = run(file, ['--optimizer', 'adam', '--steps', '3', '--json']);
    const j = JSON.parse(r.stdout) as { descent: { optimizer: string; steps: Array<{ point: Record<string, number> }> } };
    assert.strictEqual(j.descent.optimizer, 'adam');
    // Adam's first step moves every coordinate by η (bias-corrected m/√v = ±1)
    assert.ok(near(j.descent.steps[1].point.x, 1 - 0.1, 1e-6), String(j.descent.steps[1].point.x));
    assert.ok(near(j.descent.steps[1].point.y, 1 - 0.1, 1e-6));
  });
});
