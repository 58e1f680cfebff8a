/**
 * The corpus of real styles (test/corpus/*.json) through the command line, as a shell runs it:
 * `node dist/cli.js analyze <file> --line N [--cell K] --at … --json`, each case in its own folder with
 * the files that lie beside it. Expected numbers come from executing each case's own source
 * (scripts/corpus_oracle.py); value and gradient must agree to 1e-6 relative.
 *
 * Every case must pass, be refused on purpose (`refusal`: exit 2 with a located message holding the
 * fragment), or be listed in test/corpus/known-gaps.json (id → the current message). A known gap that
 * now passes is printed so the list can be shrunk. CORPUS_WRITE_GAPS=1 rewrites the list with today's
 * failures and reasons.
 */
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, EXTENSION, ROOT, near } from './helpers';

interface CsvRule { kind: 'linear-noise'; rows: number; a: number; b: number; header?: string }
interface CorpusCase {
  id: string; kind: 'function'; language: string; source: string; line: number; cell?: number;
  files?: Record<string, string>; generate?: Record<string, CsvRule>;
  params: string[] | null; at?: Record<string, number>; refusal?: string;
  expect?: { value: number | null; gradient?: Record<string, number>; exit?: number; data?: { bound: boolean } };
  oracle: { method: string };
}
interface Outcome { ok: boolean; reason: string }
interface Run { code: number | null; stdout: string; stderr: string; file: string }

const DIR = path.join(ROOT, 'test', 'corpus');
const GAPS_FILE = path.join(DIR, 'known-gaps.json');
const categories = fs.readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'known-gaps.json').sort();
const corpus: Array<{ category: string; c: CorpusCase }> = categories.flatMap((f) =>
  (JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as CorpusCase[]).map((c) => ({ category: f.replace(/\.json$/, ''), c })));
const gaps = JSON.parse(fs.readFileSync(GAPS_FILE, 'utf8')) as Record<string, string>;

/** The same rule as generate_csv in scripts/corpus_oracle.py: integer hundredths, so both print the same text. */
function generateCsv(spec: CsvRule): string {
  assert.strictEqual(spec.kind, 'linear-noise');
  const hundredths = (v: number): string => `${v < 0 ? '-' : ''}${Math.floor(Math.abs(v) / 100)}.${String(Math.abs(v) % 100).padStart(2, '0')}`;
  const lines = [spec.header ?? 'x,y'];
  for (let i = 0; i < spec.rows; i++) {
    const xh = i % 1000;
    const yh = spec.a * xh + 100 * spec.b + (((i * 7919) % 101) - 50);
    lines.push(`${hundredths(xh)},${hundredths(yh)}`);
  }
  return lines.join('\n') + '\n';
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-corpus-'));

function prepare(c: CorpusCase): { file: string; args: string[] } {
  const folder = fs.mkdtempSync(path.join(tmp, `${c.id}-`));
  const file = path.join(folder, `main${EXTENSION[c.language]}`);
  fs.writeFileSync(file, c.source);
  for (const [name, content] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(folder, name), content);
  for (const [name, rule] of Object.entries(c.generate ?? {})) fs.writeFileSync(path.join(folder, name), generateCsv(rule));
  // one descent step: the corpus checks f(at) and the gradient, not the descent
  const args = ['analyze', file, '--line', String(c.line), '--steps', '1', '--json'];
  if (c.cell !== undefined) args.push('--cell', String(c.cell));
  if (c.at) args.push('--at', Object.entries(c.at).map(([k, v]) => `${k}=${v}`).join(','));
  return { file, args };
}

function runAll(): Promise<Map<string, Run>> {
  const results = new Map<string, Run>();
  const queue = [...corpus];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { c } = item;
      const { file, args } = prepare(c);
      const r = await new Promise<Run>((resolve) => {
        execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
          resolve({ code, stdout, stderr, file });
        });
      });
      results.set(c.id, r);
    }
  };
  // two at a time: the machine's two cores are shared
  return Promise.all([worker(), worker()]).then(() => results);
}

// θ_0, θ0 and theta0 name the same parameter; w_1 and w1 too
const key = (n: string): string => n.replace(/_/g, '').replace(/^theta/, 'θ');
const firstLine = (s: string, file: string): string => (s.trim().split('\n')[0] ?? '').split(file).join(path.basename(file)).slice(0, 300);

interface CliJson {
  kind?: string; params?: string[]; value?: number | null; gradientAt?: Record<string, number | null>;
  data?: { bound?: boolean }; message?: string;
}

function judge(c: CorpusCase, r: Run): Outcome {
  if (c.refusal) {
    if (r.code !== 2) return { ok: false, reason: `expected a refusal (exit 2, '${c.refusal}'), got exit ${r.code}` };
    const located = new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(cell \\d+:)?\\d+:\\d+: (.*)$`, 'm').exec(r.stderr);
    if (!located) return { ok: false, reason: `refused without a file:line:column message: ${firstLine(r.stderr, r.file)}` };
    if (!located[2].includes(c.refusal)) return { ok: false, reason: `refused with another message: ${located[2].slice(0, 300)}` };
    return { ok: true, reason: 'refused on purpose' };
  }
  if (r.code !== 0) return { ok: false, reason: r.code === null ? 'no exit status (timeout or crash)' : `exit ${r.code}: ${firstLine(r.stderr, r.file)}` };
  let j: CliJson;
  try { j = JSON.parse(r.stdout) as CliJson; } catch { return { ok: false, reason: 'stdout is not JSON' }; }
  if (j.kind !== 'function') return { ok: false, reason: `read as ${j.kind}, not a function` };
  if (c.params && JSON.stringify((j.params ?? []).map(key)) !== JSON.stringify(c.params.map(key))) {
    return { ok: false, reason: `parameters [${(j.params ?? []).join(', ')}], expected [${c.params.join(', ')}]` };
  }
  const e = c.expect ?? { value: null };
  if (c.oracle.method === 'symbolic') {
    if (j.data?.bound !== false) return { ok: false, reason: `data.bound is ${JSON.stringify(j.data?.bound)}, expected false (no data anywhere); read with parameters [${(j.params ?? []).join(', ')}], value ${j.value}` };
    if (j.value !== null) return { ok: false, reason: `value ${j.value}, expected null without data` };
    return { ok: true, reason: 'read without data' };
  }
  if (j.value === null || j.value === undefined) return { ok: false, reason: `value null, expected ${e.value}: ${firstLine(r.stderr, r.file)}` };
  if (!near(j.value, e.value as number, 1e-6, 1e-12)) return { ok: false, reason: `value ${j.value}, expected ${e.value}` };
  const got = Object.fromEntries(Object.entries(j.gradientAt ?? {}).map(([k, v]) => [key(k), v]));
  for (const [p, g] of Object.entries(e.gradient ?? {})) {
    const v = got[key(p)];
    if (typeof v !== 'number' || !near(v, g, 1e-6, 1e-9)) return { ok: false, reason: `∂/∂${p} ${v}, expected ${g}` };
  }
  return { ok: true, reason: 'value and gradient agree' };
}

describe('corpus of real styles (test/corpus, executed oracles)', function () {
  this.timeout(600000);
  let results = new Map<string, Run>();
  const outcomes = new Map<string, Outcome>();

  before(async function () {
    this.timeout(600000);
    results = await runAll();
    for (const { c } of corpus) outcomes.set(c.id, judge(c, results.get(c.id) as Run));
  });

  it('every case has an id of its own, an oracle, and expected numbers or outcome', () => {
    const ids = corpus.map(({ c }) => c.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'duplicate ids');
    assert.ok(corpus.length >= 100, `${corpus.length} cases`);
    for (const { c } of corpus) {
      assert.ok(c.oracle?.method, `${c.id}: oracle`);
      assert.ok(c.refusal || c.expect, `${c.id}: expect (run /usr/bin/python3 scripts/corpus_oracle.py)`);
    }
    for (const id of Object.keys(gaps)) assert.ok(ids.includes(id), `known-gaps.json names a case that does not exist: ${id}`);
  });

  for (const { category, c } of corpus) {
    it(`${category}: ${c.id}${gaps[c.id] ? ' (known gap)' : ''}`, () => {
      const o = outcomes.get(c.id) as Outcome;
      if (!o.ok && !gaps[c.id]) assert.fail(`${c.id}: ${o.reason} (fix it, or list it in test/corpus/known-gaps.json)`);
    });
  }

  after(() => {
    if (outcomes.size === 0) return;
    const rows = new Map<string, { passed: number; refused: number; gap: number; failing: number; total: number }>();
    const nowPass: string[] = [];
    for (const { category, c } of corpus) {
      const o = outcomes.get(c.id) as Outcome;
      const row = rows.get(category) ?? { passed: 0, refused: 0, gap: 0, failing: 0, total: 0 };
      row.total++;
      if (o.ok && c.refusal) row.refused++;
      else if (o.ok) row.passed++;
      else if (gaps[c.id]) row.gap++;
      else row.failing++;
      if (o.ok && gaps[c.id]) nowPass.push(c.id);
      rows.set(category, row);
    }
    const sum = { passed: 0, refused: 0, gap: 0, failing: 0, total: 0 };
    const lines = ['', '    corpus score (passed / refused on purpose / known gap / failing, of total)'];
    for (const [category, r] of rows) {
      lines.push(`      ${category.padEnd(14)} ${String(r.passed).padStart(3)} / ${String(r.refused).padStart(2)} / ${String(r.gap).padStart(3)} / ${String(r.failing).padStart(2)}   of ${r.total}`);
      for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r[k];
    }
    lines.push(`      ${'total'.padEnd(14)} ${String(sum.passed).padStart(3)} / ${String(sum.refused).padStart(2)} / ${String(sum.gap).padStart(3)} / ${String(sum.failing).padStart(2)}   of ${sum.total}`);
    if (nowPass.length) lines.push(`    known gaps that now pass (remove them from test/corpus/known-gaps.json): ${nowPass.join(', ')}`);
    console.log(lines.join('\n'));
    if (process.env.CORPUS_WRITE_GAPS) {
      const next: Record<string, string> = {};
      for (const { c } of corpus) { const o = outcomes.get(c.id) as Outcome; if (!o.ok) next[c.id] = o.reason; }
      fs.writeFileSync(GAPS_FILE, JSON.stringify(next, null, 1) + '\n');
      console.log(`    wrote ${Object.keys(next).length} known gaps to ${GAPS_FILE}`);
    }
  });
});
