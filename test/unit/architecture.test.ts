/**
 * The shape of the code base, checked from the import statements of src/:
 * no import cycle among modules, the core imports nothing outside src/core,
 * and the function front ends (source/) and network readers (network/) do not
 * import each other.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// compiled to out/test/unit/
const root = path.resolve(__dirname, '..', '..', '..', 'src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** module (path relative to src, no extension) → the src modules it imports */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const from = path.relative(root, file).replace(/\.ts$/, '');
    const deps: string[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) {
        deps.push(`npm:${spec}`);
        continue;
      }
      let target = path.relative(root, path.resolve(path.dirname(file), spec));
      if (fs.existsSync(path.join(root, target, 'index.ts'))) target = path.join(target, 'index');
      deps.push(target);
    }
    graph.set(from, deps);
  }
  return graph;
}

describe('architecture', () => {
  const graph = importGraph();

  it('reads the import graph of src/ (sanity: the core and the extension are in it)', () => {
    assert.ok(graph.has('core/autodiff/tape') && graph.has('extension/extension') && graph.has('protocol'));
    assert.ok((graph.get('extension/extension') ?? []).includes('npm:vscode'));
  });

  it('no import cycle among src/ modules', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (m: string, trail: string[]): void => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const d of graph.get(m) ?? []) if (graph.has(d)) visit(d, [...trail, m]);
      state.set(m, 'done');
    };
    for (const m of graph.keys()) visit(m, []);
    assert.deepStrictEqual(cycles, []);
  });

  it('src/core imports nothing outside src/core but npm packages other than vscode', () => {
    const bad = [...graph].filter(([m]) => m.startsWith('core/')).flatMap(([m, deps]) =>
      deps.filter((d) => d === 'npm:vscode' || (!d.startsWith('npm:') && !d.startsWith('core/'))).map((d) => `${m} → ${d}`));
    assert.deepStrictEqual(bad, []);
  });

  it('core/source and core/network do not import each other', () => {
    const bad = [...graph].flatMap(([m, deps]) => deps
      .filter((d) => (m.startsWith('core/source/') && d.startsWith('core/network/')) || (m.startsWith('core/network/') && d.startsWith('core/source/')))
      .map((d) => `${m} → ${d}`));
    assert.deepStrictEqual(bad, []);
  });
});
