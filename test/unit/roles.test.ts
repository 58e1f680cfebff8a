/**
 * A plain-number forward pass with the user's choice of parameters and held
 * names (#19.3): holding a weight takes it out of the parameters and leaves
 * the other partials as they were; freeing an input adds its partial. The
 * expected numbers are central differences of the same forward pass written
 * out by hand here, not read by the extension.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { analyzeDocument } from '../../src/core/document';
import { findDefinition } from '../../src/core/find';
import type { Role } from '../../src/core/code/statements';

// the classic worked example of backpropagation, written over plain numbers
const SCRIPT = `import math

i1, i2 = 0.05, 0.10
t1, t2 = 0.01, 0.99
w1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30
w5, w6, w7, w8 = 0.40, 0.45, 0.50, 0.55
b1, b2 = 0.35, 0.60

out_h1 = 1 / (1 + math.exp(-(w1 * i1 + w2 * i2 + b1)))
out_h2 = 1 / (1 + math.exp(-(w3 * i1 + w4 * i2 + b1)))
out_o1 = 1 / (1 + math.exp(-(w5 * out_h1 + w6 * out_h2 + b2)))
out_o2 = 1 / (1 + math.exp(-(w7 * out_h1 + w8 * out_h2 + b2)))
E_total = 0.5 * (t1 - out_o1) ** 2 + 0.5 * (t2 - out_o2) ** 2
`;
const LINE = 13;
const NUMBERS: Record<string, number> = { i1: 0.05, i2: 0.1, t1: 0.01, t2: 0.99, w1: 0.15, w2: 0.2, w3: 0.25, w4: 0.3, w5: 0.4, w6: 0.45, w7: 0.5, w8: 0.55, b1: 0.35, b2: 0.6 };

/** The same forward pass, by hand. */
function total(n: Record<string, number>): number {
  const s = (z: number): number => 1 / (1 + Math.exp(-z));
  const h1 = s(n.w1 * n.i1 + n.w2 * n.i2 + n.b1);
  const h2 = s(n.w3 * n.i1 + n.w4 * n.i2 + n.b1);
  const o1 = s(n.w5 * h1 + n.w6 * h2 + n.b2);
  const o2 = s(n.w7 * h1 + n.w8 * h2 + n.b2);
  return 0.5 * (n.t1 - o1) ** 2 + 0.5 * (n.t2 - o2) ** 2;
}

/** ∂E/∂name by central differences, step 1e-6. */
function centralDifference(name: string): number {
  const h = 1e-6;
  return (total({ ...NUMBERS, [name]: NUMBERS[name] + h }) - total({ ...NUMBERS, [name]: NUMBERS[name] - h })) / (2 * h);
}

function analyze(roles?: Record<string, Role>): { params: string[]; gradientAt: Record<string, number>; value: number } {
  const r = analyzeDocument(SCRIPT, 'python', LINE, { maxSteps: 0, context: roles ? { roles } : {} });
  assert.ok(r.kind === 'function' && r.descent !== null, 'E_total reads as a function with parameters');
  return r as unknown as { params: string[]; gradientAt: Record<string, number>; value: number };
}

const WEIGHTS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'b1', 'b2'];

describe('plain-number forward pass: parameters and held names (#19.3)', () => {
  it('offers every name given a number, and by default makes the weights and biases the parameters', () => {
    const def = findDefinition(SCRIPT, 'python', LINE);
    assert.ok(def.kind === 'function');
    assert.deepStrictEqual(def.roleNames, ['i1', 'i2', 't1', 't2', ...WEIGHTS]);
    const r = analyze();
    assert.deepStrictEqual(r.params, WEIGHTS);
    for (const p of WEIGHTS) assert.ok(Math.abs(r.gradientAt[p] - centralDifference(p)) < 1e-8, `∂E/∂${p}: ${r.gradientAt[p]} vs ${centralDifference(p)}`);
  });

  it('holding w5 drops it and its partial; the other partials are unchanged and match central differences', () => {
    const before = analyze();
    const r = analyze({ w5: 'held' });
    assert.deepStrictEqual(r.params, WEIGHTS.filter((p) => p !== 'w5'));
    assert.ok(!('w5' in r.gradientAt));
    assert.ok(Math.abs(r.value - total(NUMBERS)) < 1e-12);
    for (const p of r.params) {
      assert.ok(Math.abs(r.gradientAt[p] - before.gradientAt[p]) < 1e-15, `∂E/∂${p} changed`);
      assert.ok(Math.abs(r.gradientAt[p] - centralDifference(p)) < 1e-8, `∂E/∂${p}: ${r.gradientAt[p]} vs ${centralDifference(p)}`);
    }
  });

  it('freeing i1 adds ∂E/∂i1, equal to a central difference', () => {
    const r = analyze({ i1: 'parameter' });
    assert.deepStrictEqual(new Set(r.params), new Set(['i1', ...WEIGHTS]));
    const fd = centralDifference('i1');
    assert.ok(Math.abs(fd) > 1e-4, 'the input matters to E');
    assert.ok(Math.abs(r.gradientAt.i1 - fd) < 1e-8, `∂E/∂i1: ${r.gradientAt.i1} vs ${fd}`);
  });

  describe('command line --hold and --free', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-roles-')), 'worked.py');
    fs.writeFileSync(file, SCRIPT);
    const run = (...args: string[]): { code: number; out: string; err: string } => {
      const out: string[] = [];
      const err: string[] = [];
      const code = main(['analyze', file, '--line', String(LINE), '--steps', '0', '--json', ...args], (s) => out.push(s), (s) => err.push(s));
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('hold w5 and free i1: the parameters and partials follow', () => {
      const r = run('--hold', 'w5', '--free=i1');
      assert.strictEqual(r.code, 0, r.err);
      const json = JSON.parse(r.out) as { params: string[]; gradientAt: Record<string, number> };
      assert.deepStrictEqual(new Set(json.params), new Set(['i1', ...WEIGHTS.filter((p) => p !== 'w5')]));
      for (const p of json.params) assert.ok(Math.abs(json.gradientAt[p] - centralDifference(p)) < 1e-8, `∂E/∂${p}`);
    });

    it('a name the script gives no number is a located error, exit 2, listing the names', () => {
      const r = run('--hold', 'w1,zz');
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.out, '');
      assert.strictEqual(r.err, `${file}:${LINE}:1: --hold: 'zz' is not a number of this script (names: i1, i2, t1, t2, ${WEIGHTS.join(', ')})`);
      assert.match(run('--free', 'out_h1').err, /--free: 'out_h1' is not a number of this script/);
    });

    it('on a definition that is not a plain-number forward pass, says so', () => {
      const other = path.join(path.dirname(file), 'loss.py');
      fs.writeFileSync(other, 'def loss(w, b):\n    return (w - 3) ** 2 + b ** 2\n');
      const err: string[] = [];
      const code = main(['analyze', other, '--line', '1', '--hold', 'w'], () => undefined, (s) => err.push(s));
      assert.strictEqual(code, 2);
      assert.match(err.join('\n'), /^.*loss\.py:1:1: --hold: the definition here is not a forward pass over plain numbers/);
    });
  });
});
