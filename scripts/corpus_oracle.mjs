// Executed oracle for the JavaScript / TypeScript cases of a test/corpus/*.json file.
// Called by scripts/corpus_oracle.py (node scripts/corpus_oracle.mjs <file.json>); rewrites `expect` in place.
//
// The case's source runs in a node vm context (TypeScript types stripped by esbuild, nothing else changed),
// inside a temporary folder holding the case's files, with console silenced and `require` limited to fs/path
// and the case's own modules (`./helpers` is helpers.ts, else helpers.js, as TypeScript resolves it; each
// runs in a context of its own with module.exports, types stripped and imports made requires by esbuild).
//  - oracle.script (TensorFlow.js cases: tfjs is not installed): a committed, hand-written plain-JS equivalent
//    of the case runs instead of its source, then oracle.call as below.
//  - oracle.method "call": oracle.call is evaluated in that context with each parameter bound to its value
//    (vector parameters w[0], w[1] … as an array w).
//  - oracle.method "capture": the definition of oracle.fn is renamed in a copy of the source and a
//    recording wrapper takes its name, so the arguments of the first call the file makes (in main(),
//    console.log(...), a loop…) are captured; the cost is re-evaluated with them and the parameters at `at`
//    (`at` is taken from that call when the case has none).
// Value: the executed function at `at`. Gradient: central differences extrapolated twice (Richardson),
// relative error ~1e-11 on these smooth costs.
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const file = process.argv[2];
const cases = JSON.parse(fs.readFileSync(file, 'utf8'));
let failures = 0;

function group(params) {
  const g = new Map();
  for (const p of params) {
    const m = /^(\w+)\[(\d+)\]$/.exec(p);
    if (m) { if (!g.has(m[1])) g.set(m[1], []); g.get(m[1]).push(p); } else g.set(p, p);
  }
  return g;
}

function bind(params, point) {
  const out = {};
  for (const [name, members] of group(params)) out[name] = Array.isArray(members) ? members.map((m) => point[m]) : point[members];
  return out;
}

function code(src, typescript) {
  if (typescript || /^\s*(export|import)\s/m.test(src)) {
    src = esbuild.transformSync(src, { loader: typescript ? 'ts' : 'js', format: 'cjs' }).code;
  }
  return src;
}

const quiet = { log() {}, error() {}, warn() {}, info() {}, table() {} };

/** require inside a case's folder: fs and path, and the case's own modules beside it. */
function caseRequire(name) {
  if (name === 'fs' || name === 'path' || name === 'node:fs' || name === 'node:path') return require(name);
  if (!/^\.\.?\//.test(name)) throw new Error(`require('${name}') in a corpus case`);
  const base = name.replace(/^\.\//, '');
  const file = (/\.[cm]?[jt]s$/.test(base) ? [base] : [`${base}.ts`, `${base}.js`]).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`require('${name}'): no such file beside the case`);
  const module = { exports: {} };
  const context = vm.createContext({ console: quiet, Math, JSON, Number, Array, Object, Float64Array, module, exports: module.exports, require: caseRequire });
  vm.runInContext(code(fs.readFileSync(file, 'utf8'), file.endsWith('.ts')), context, { filename: file, timeout: 10000 });
  return module.exports;
}

function renameDefinition(src, fn) {
  const patterns = [
    [new RegExp(`function\\s+${fn}\\s*\\(`), `function __orig_${fn}(`],
    [new RegExp(`(const|let|var)\\s+${fn}\\s*=`), `$1 __orig_${fn} =`],
  ];
  for (const [re, to] of patterns) if (re.test(src)) return src.replace(re, to);
  throw new Error(`no definition of ${fn}`);
}

function runCase(c) {
  const o = c.oracle;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-js-'));
  for (const [name, content] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(folder, name), content);
  const old = process.cwd();
  process.chdir(folder);
  try {
    const calls = [];
    const context = vm.createContext({
      console: quiet, Math, JSON, Number, Array, Object, Float64Array, __calls: calls, exports: {}, module: { exports: {} }, require: caseRequire,
    });
    let src = o.script ? fs.readFileSync(path.join(ROOT, o.script), 'utf8') : code(c.source, c.language === 'typescript');
    if (o.method === 'capture') {
      src = renameDefinition(src, o.fn) + `\nfunction ${o.fn}(...a) { __calls.push(a); return __orig_${o.fn}(...a); }\n`;
    }
    vm.runInContext(src, context, { filename: 'case.js', timeout: 10000 });
    let f;
    if (o.method === 'capture') {
      const k = o.callIndex ?? 0;
      if (calls.length <= k) throw new Error(`${o.fn} is never called by the file`);
      const args = calls[k];
      const names = o.argNames; // the function's parameter names, in order
      const original = vm.runInContext(`__orig_${o.fn}`, context);
      if (!c.at) {
        c.at = {};
        for (const [name, members] of group(c.params)) {
          const v = args[names.indexOf(name)];
          if (Array.isArray(members)) members.forEach((m, i) => { c.at[m] = v[i]; }); else c.at[members] = v;
        }
      }
      f = (point) => {
        const a = [...args];
        for (const [name, v] of Object.entries(bind(c.params, point))) a[names.indexOf(name)] = v;
        const r = original(...a);
        return o.pick === undefined ? r : r[o.pick];
      };
    } else if (o.method === 'call') {
      const names = [...group(c.params).keys()];
      const g = vm.runInContext(`(function (${names.join(', ')}) { return ${o.call}; })`, context);
      f = (point) => { const b = bind(c.params, point); const r = g(...names.map((n) => b[n])); return o.pick === undefined ? r : r[o.pick]; };
    } else throw new Error(`method ${o.method}`);

    const value = f(c.at);
    const gradient = {};
    for (const p of c.params) {
      const d = (h) => { const plus = { ...c.at, [p]: c.at[p] + h }; const minus = { ...c.at, [p]: c.at[p] - h }; return (f(plus) - f(minus)) / (2 * h); };
      const h = 1e-3 * Math.max(1, Math.abs(c.at[p]));
      const d1 = d(h), d2 = d(h / 2), d3 = d(h / 4);
      const r1 = (4 * d2 - d1) / 3, r2 = (4 * d3 - d2) / 3;
      gradient[p] = (16 * r2 - r1) / 15;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`value ${value}`);
    c.expect = { value, gradient };
    o.computed = (o.script ? `ran the hand-written plain-JS equivalent ${o.script} in node (vm; TensorFlow.js is not installed)` : `ran the source in node (vm${c.language === 'typescript' ? ', types stripped by esbuild' : ''})`)
      + (o.method === 'capture' ? `; captured the file's call of ${o.fn}` : `, then ${o.call}`)
      + '; gradient by Richardson-extrapolated central differences';
    console.log(`${c.id.padEnd(40)} ${String(value).padEnd(24)} ${JSON.stringify(gradient)}`);
  } finally {
    process.chdir(old);
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

for (const c of cases) {
  if (!['javascript', 'typescript'].includes(c.language) && c.oracle?.runtime !== 'node') continue;
  if (c.refusal || c.oracle.method === 'symbolic') continue;
  try { runCase(c); } catch (e) { failures++; console.log(`${c.id.padEnd(40)} ORACLE FAILED: ${e.message}`); }
}
fs.writeFileSync(file, JSON.stringify(cases, null, 1) + '\n');
process.exit(failures ? 1 : 0);
