/**
 * `gradient-lens analyze <file> [--line N] [--at name=value,...] [--data arg=source,...] [--lr η]
 *  [--steps N] [--optimizer NAME] [--batch N] [--race NAME,...] [--sweep] [--export FORMAT] [--json]`
 *  — the extension's core, headless.
 * Bad input: exit status 2 and `file:line:column: message` on stderr.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FunctionAnalysis, UnboundAnalysis, tapeOf } from '../core/analysis';
import { fmt } from '../core/format';
import { partialLines, readable, withSampleCount } from '../core/notation';
import { UserError } from '../core/errors';
import { isOptimizerName, OPTIMIZER_NAMES, OptimizerName } from '../core/optimizers';
import { analyzeDocument } from '../core/document';
import { languageFromPath } from '../core/languages';
import { NetworkAnalysis } from '../core/network/analysis';
import { gradientCheckText } from '../core/network/mlp';
import { cellDocument, readNotebook } from '../core/notebook';
import { EXPORT_FORMATS, ExportFormat, exportNetwork } from '../core/network/export';
import { Definition, findDefinition } from '../core/find';
import type { Role } from '../core/code/statements';
import { isBinaryDataFile } from '../core/code/npy';
import { FunctionDefinition, bindingsText } from '../core/source/definition';
import { WorkedUpdate, batchGradientHeading, deltaHeading, isStochastic, updateText, workedUpdate } from '../core/stepRecord';
import { RaceEntry, runRace } from '../core/race';
import { Sweep, runSweep } from '../core/sweep';
import { DESCENT_EXPORT_FORMATS, DescentExportFormat, exportDescent } from '../core/exportDescent';

const ALL_EXPORT_FORMATS: ReadonlyArray<ExportFormat | DescentExportFormat> = [...EXPORT_FORMATS, ...DESCENT_EXPORT_FORMATS];
const isDescentExport = (f: string): f is DescentExportFormat => (DESCENT_EXPORT_FORMATS as readonly string[]).includes(f);

const USAGE = `usage: gradient-lens analyze <file> [--cell K] [--line N] [--at name=value,...] [--data arg=source,...] [--hold name,...] [--free name,...]
                              [--lr η] [--steps N] [--epochs N]
                              [--optimizer ${OPTIMIZER_NAMES.join('|')}] [--batch N] [--race NAME,NAME,...] [--sweep]
                              [--export ${ALL_EXPORT_FORMATS.join('|')}] [--seed N] [--language ID] [--json]`;

interface Args {
  file: string;
  line: number;
  at?: Record<string, number>;
  /** argument → a module-level array or `file.csv:column` */
  data?: Record<string, string>;
  /** a plain-number forward pass: names held as written (--hold) or made parameters (--free) */
  roles?: Record<string, Role>;
  lr?: number;
  steps?: number;
  epochs?: number;
  cell?: number;
  exportFormat?: ExportFormat | DescentExportFormat;
  optimizer?: OptimizerName;
  /** samples per step: mini-batch descent on a cost over data */
  batch?: number;
  race?: OptimizerName[];
  sweep: boolean;
  seed?: number;
  language?: string;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  if (argv[0] === '--help' || argv[0] === '-h') throw new UsageError('');
  if (argv[0] !== 'analyze') throw new UsageError(argv.length === 0 ? 'missing command' : `unknown command '${argv[0]}'`);
  const args: Partial<Args> & { json: boolean; sweep: boolean } = { json: false, sweep: false };
  const rest = argv.slice(1);
  const value = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const number = (s: string, flag: string): number => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${flag}: '${s}' is not a number`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    const whole = (min: number, max = Infinity): number => {
      const v = number(take(), flag);
      if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(max === Infinity ? `${flag} must be a positive integer` : `${flag} must be an integer from ${min} to ${max}`);
      return v;
    };
    switch (flag) {
      case '--json': args.json = true; break;
      case '--line': args.line = whole(1); break;
      case '--at': {
        const at: Record<string, number> = {};
        for (const pair of take().split(',')) {
          const m = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(pair);
          if (!m) throw new UsageError(`--at: expected name=value, got '${pair}'`);
          at[m[1]] = number(m[2], `--at ${m[1]}`);
        }
        args.at = at;
        break;
      }
      case '--data': {
        const data: Record<string, string> = {};
        for (const pair of take().split(',')) {
          const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(pair);
          if (!m) throw new UsageError(`--data: expected arg=source (a module-level array or file.csv:column), got '${pair}'`);
          data[m[1]] = m[2];
        }
        args.data = data;
        break;
      }
      case '--hold':
      case '--free':
        for (const name of take().split(',').map((n) => n.trim())) {
          if (!/^[A-Za-z_]\w*$/.test(name)) throw new UsageError(`${flag}: expected names separated by commas, got '${name}'`);
          args.roles = { ...args.roles, [name]: flag === '--hold' ? 'held' : 'parameter' };
        }
        break;
      case '--lr': {
        const v = number(take(), flag);
        if (v <= 0) throw new UsageError('--lr must be positive');
        args.lr = v;
        break;
      }
      case '--epochs': args.epochs = whole(0, 1_000_000); break;
      case '--export': {
        const f = take();
        if (!(ALL_EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--export must be one of ${ALL_EXPORT_FORMATS.join(', ')}`);
        args.exportFormat = f as ExportFormat | DescentExportFormat;
        break;
      }
      case '--cell': args.cell = whole(1); break;
      case '--steps': args.steps = whole(0, 1_000_000); break;
      case '--optimizer': {
        const v = take();
        if (!isOptimizerName(v)) throw new UsageError(`--optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}`);
        args.optimizer = v;
        break;
      }
      case '--batch': args.batch = whole(1, 1_000_000); break;
      case '--race': {
        const names = take().split(',').map((n) => n.trim());
        const bad = names.find((n) => !isOptimizerName(n));
        if (bad !== undefined) throw new UsageError(`--race: '${bad}' is not an optimizer (${OPTIMIZER_NAMES.join(', ')})`);
        args.race = names as OptimizerName[];
        break;
      }
      case '--sweep': args.sweep = true; break;
      case '--seed': args.seed = number(take(), flag); break;
      case '--language': args.language = take(); break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option '${flag}'`);
        if (args.file !== undefined) throw new UsageError(`unexpected argument '${a}'`);
        args.file = a;
    }
  }
  if (args.file === undefined) throw new UsageError('missing <file>');
  return { line: 1, ...args } as Args;
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) err(`gradient-lens: ${e.message}`);
      err(USAGE);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  const display = args.file;
  let text: string;
  try {
    const stat = fs.statSync(args.file);
    if (stat.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    text = fs.readFileSync(args.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    err(`${display}:1:1: ${why}`);
    return 2;
  }
  let language = args.language ?? languageFromPath(args.file);
  // a notebook: the chosen cell, read with the notebook's other code cells; messages name the cell
  let line = args.line;
  let where = (l: number, c: number): string => `${display}:${l}:${c}`;
  let cellOf: ((l: number) => { cell: number; line: number }) | undefined;
  try {
    if (/\.ipynb$/i.test(args.file) || language === 'ipynb') {
      const cells = readNotebook(text);
      const doc = cellDocument(cells, (args.cell ?? 1) - 1);
      text = doc.text;
      language = doc.language;
      line = doc.firstLine + args.line - 1;
      cellOf = doc.locate;
      where = (l, c) => { const p = doc.locate(l); return `${display}:cell ${p.cell}:${p.line}:${c}`; };
    } else if (args.cell !== undefined) {
      throw new UserError('--cell is for notebooks (.ipynb)', 1, 1);
    }
  } catch (e) {
    if (e instanceof UserError) {
      err(e.format(display));
      return 2;
    }
    throw e;
  }
  const dir = path.dirname(path.resolve(args.file));
  const readFile = (name: string): string | Uint8Array | undefined => {
    try {
      const file = path.resolve(dir, name);
      return isBinaryDataFile(name) ? new Uint8Array(fs.readFileSync(file)) : fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  try {
    if (args.roles) checkRoles(findDefinition(text, language, line, { readFile, data: args.data, roles: args.roles }), args.roles);
    const result = analyzeDocument(text, language, line, {
      start: args.at, learningRate: args.lr, maxSteps: args.steps, epochs: args.epochs, optimizer: args.optimizer, batchSize: args.batch, seed: args.seed,
      context: { readFile, data: args.data, roles: args.roles },
    });
    if (cellOf) {
      const a = cellOf(result.range.startLine);
      const b = cellOf(result.range.endLine);
      Object.assign(result, { cell: a.cell, range: { startLine: a.line, endLine: b.line } });
    }
    if (result.kind === 'network') {
      for (const n of result.notes) err(`${display}:${result.range.startLine}:1: note: ${n}`);
    } else if (result.descent === null) {
      // the readable report says it itself
      if (args.json) err(`${display}:${result.range.startLine}:1: note: ${result.message}`);
    } else {
      if (result.undefinedAt) {
        const p = result.undefinedAtPosition;
        err(`${display}:${p.line}:${p.column}: ${result.undefinedAt.message}`);
      }
      for (const c of result.checks) if (c.disagree && c.message) err(`${display}:${result.range.startLine}:1: warning: ${c.message}`);
      if (result.descent.status === 'diverged' || result.descent.status === 'unbounded' || (result.descent.status === 'undefined' && !result.undefinedAt)) {
        err(`${display}:${result.range.startLine}:1: warning: ${result.descent.message}`);
      }
    }
    const comparing = args.race !== undefined || args.sweep;
    if (result.kind === 'function' && result.descent === null && (comparing || args.exportFormat)) {
      throw new UserError(`--race, --sweep and --export need data to descend on: ${result.message}`, result.range.startLine, 1);
    }
    if (result.kind === 'function' && result.descent !== null && (comparing || args.exportFormat)) {
      const def = findDefinition(text, language, line, { readFile });
      if (def.kind !== 'function') throw new UserError('--race, --sweep and --export numpy|js are for functions', result.range.startLine, 1);
      if (args.exportFormat) {
        if (!isDescentExport(args.exportFormat)) throw new UserError(`--export ${args.exportFormat} is for networks; a function's descent exports as numpy or js`, result.range.startLine, 1);
        // the exported script runs full-batch descent: it would not reproduce a mini-batch run
        if (args.batch !== undefined && result.trace.steps.some((st) => st.batch)) throw new UserError('--export numpy|js writes full-batch descent; leave out --batch to export', result.range.startLine, 1);
        const { optimizer, learningRate } = result.descent;
        out(exportDescent(def, { optimizer, learningRate, start: result.at, steps: result.trace.steps.length - 1 }, args.exportFormat).replace(/\n$/, ''));
        return 0;
      }
      const extra = compare(def, result, args);
      out(args.json ? JSON.stringify({ ...(stripInternal(result) as object), ...extra }, null, 2) : [report(result, display), ...raceReport(extra.race, result), ...sweepReport(extra.sweep, result)].join('\n'));
      return 0;
    }
    if (comparing) throw new UserError('--race and --sweep are for functions: a network trains with its own optimizer', result.range.startLine, 1);
    if (result.kind === 'network' && args.exportFormat) {
      if (isDescentExport(args.exportFormat)) throw new UserError(`--export ${args.exportFormat} is for a function's descent; a network exports as ${EXPORT_FORMATS.join(', ')}`, result.range.startLine, 1);
      const def = findDefinition(text, language, line, { readFile });
      if (def.kind !== 'network') throw new UserError('--export is for networks', result.range.startLine, 1);
      out(exportNetwork(def, result.weights.final, result.training.loss, args.exportFormat).text.replace(/\n$/, ''));
      return 0;
    }
    out(args.json ? JSON.stringify(stripInternal(result), null, 2) : report(result, display));
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      err(`${where(e.line, e.column)}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** The JSON contract: analysis fields without editor-only ones. */
function stripInternal(r: ReturnType<typeof analyzeDocument>): unknown {
  if (r.kind === 'network' || r.descent === null) return r;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { undefinedAtPosition, trace, ...rest } = r;
  return rest;
}

/** --race and --sweep: the same start, the step limit and (for the race) the learning rate of the analysis's descent. */
function compare(def: FunctionDefinition, r: FunctionAnalysis, args: Args): { race?: RaceEntry[]; sweep?: Sweep } {
  const tape = tapeOf(def);
  const f = r.name ?? 'f';
  const { learningRate, maxSteps, optimizer } = r.descent;
  return {
    ...(args.race ? { race: runRace(tape, args.race, { learningRate, maxSteps, start: r.at }, f) } : {}),
    ...(args.sweep ? { sweep: runSweep(tape, { optimizer, maxSteps, start: r.at }, f) } : {}),
  };
}

const pointText = (params: readonly string[], point: Record<string, number | null>): string => params.map((p) => `${p} = ${fmt(point[p])}`).join(', ');

function raceReport(race: RaceEntry[] | undefined, r: FunctionAnalysis): string[] {
  if (!race) return [];
  const f = r.name ?? 'f';
  const rows = race.map((e) => [e.optimizer, fmt(e.learningRate), e.status, String(e.steps), fmt(e.final.value), ...r.params.map((p) => fmt(e.final.point[p]))]);
  return [
    '', `race: from ${pointText(r.params, r.at)}, at most ${r.descent.maxSteps} steps each`,
    ...table([['optimizer', 'η', 'status', 'steps', `final ${f}`, ...r.params], ...rows]),
  ];
}

function sweepReport(sweep: Sweep | undefined, r: FunctionAnalysis): string[] {
  if (!sweep) return [];
  const f = r.name ?? 'f';
  const rows = sweep.etas.map((eta, k) => [fmt(eta), sweep.status[k], String(sweep.steps[k]), fmt(sweep.finalValue[k])]);
  const lines = [
    '', `learning-rate sweep: ${sweep.optimizer} from ${pointText(r.params, r.at)}, ${sweep.etas.length} rates from ${fmt(sweep.etas[0])} to ${fmt(sweep.etas[sweep.etas.length - 1])}, at most ${r.descent.maxSteps} steps each`,
    ...table([['η', 'status', 'steps', `final ${f}`], ...rows]),
  ];
  if (!sweep.minimum || sweep.curvature === undefined) lines.push('', 'no run converged: there is no minimum to measure the curvature at');
  else {
    lines.push('', `at the lowest minimum reached (${pointText(r.params, sweep.minimum)}) the Hessian's largest eigenvalue is L = ${fmt(sweep.curvature)}`);
    if (sweep.etaLimit !== undefined) lines.push(`  gradient descent converges near it for η < 2/L = ${fmt(sweep.etaLimit)}`);
  }
  return lines;
}

function report(r: ReturnType<typeof analyzeDocument>, file: string): string {
  if (r.kind === 'network') return networkReport(r, file);
  return r.descent === null ? unboundReport(r, file) : functionReport(r, file);
}

function unboundReport(r: UnboundAnalysis, file: string): string {
  const f = r.name ?? 'f';
  const lines = [`${file}:${r.range.startLine}: ${f}(${r.params.join(', ')}) = ${readable(r.expression, r.params)}`, ''];
  for (const p of r.params) lines.push(...partials(f, p, r.gradient[p], r.params, r.gradientNamed?.[p]));
  if (r.symbolicNote) lines.push(`  note: ${r.symbolicNote}`);
  for (const note of r.assumed ?? []) lines.push(`  note: ${note}`);
  lines.push('', r.message);
  return lines.join('\n');
}

/** ∂f/∂p's lines as the hover gives them (the form in the code's names, its chain, written out), the first leading. */
function partials(...args: Parameters<typeof partialLines>): string[] {
  return partialLines(...args).map((l, i) => `${i === 0 ? '  ' : '    '}${l}`);
}

function functionReport(r: FunctionAnalysis, file: string): string {
  const f = r.name ?? 'f';
  const lines: string[] = [];
  lines.push(`${file}:${r.range.startLine}: ${f}(${r.params.join(', ')}) = ${withSampleCount(readable(r.expression, r.params), r.data?.samples)}`);
  lines.push('');
  // the JSON keeps the machine form (w_0, *, -); the report is for reading, as the hover writes it
  for (const p of r.params) lines.push(...partials(f, p, r.gradient[p], r.params, r.gradientNamed?.[p], r.data?.samples));
  if (r.symbolicNote) lines.push(`  note: ${r.symbolicNote}`);
  for (const note of r.assumed ?? []) lines.push(`  note: ${note}`);
  if (r.data) lines.push(`  ${bindingsText(r.data.bindings)}`);
  lines.push('');
  const at = r.params.map((p) => `${p} = ${fmt(r.at[p])}`).join(', ');
  lines.push(`at ${at}:  ${f} = ${fmt(r.value)}`);
  for (const p of r.params) {
    lines.push(`  ∂${f}/∂${p} = ${fmt(r.gradientAt[p])}   (numeric ${fmt(r.numericGradientAt[p])}, backprop ${fmt(r.backpropGradientAt[p])})`);
  }
  for (const c of r.checks) if (c.message) lines.push(`  ! ${c.message}`);
  if (r.undefinedAt) lines.push(`  ! ${r.undefinedAt.message}`);
  lines.push('');
  const stochastic = isStochastic(r.trace.steps);
  lines.push(`gradient descent: ${r.descent.optimizer}, η = ${fmt(r.descent.learningRate)}, at most ${r.descent.maxSteps} steps${stochastic ? `, ${r.descent.steps[0].batch?.length ?? 0} samples per step (seeded shuffle; samples counted from 1)` : ''}`);
  const header = ['step', ...r.params, f, ...r.params.map((p) => `∂${f}/∂${p}`),
    ...(stochastic ? ['samples', ...r.params.map((p) => batchGradientHeading(f, p))] : []),
    ...r.params.map((p) => deltaHeading(r.descent.optimizer, f, p, stochastic))];
  const rows = r.descent.steps.map((s, k) => [
    String(k),
    ...r.params.map((p) => fmt(s.point[p])),
    fmt(s.value),
    ...r.params.map((p) => fmt(s.gradient[p])),
    ...(stochastic ? [s.batch ? s.batch.map((b) => b + 1).join(' ') : '', ...r.params.map((p) => (s.batchGradient ? fmt(s.batchGradient[p]) : ''))] : []),
    ...r.params.map((p) => (s.update ? fmt(s.update[p]) : '')),
  ]);
  lines.push(...table([header, ...elide(rows)]));
  // the first update with its numbers, as the step recorded it
  const first = r.trace.steps[0];
  const worked = r.params.map((_, i) => workedUpdate(r.descent.optimizer, r.descent.learningRate, first, r.trace.steps[1], i));
  if (worked.every((w) => w !== undefined)) {
    lines.push('', 'step 0:');
    r.params.forEach((p, i) => lines.push(`  ${updateText(f, p, worked[i] as WorkedUpdate, first.batch)}`));
  }
  lines.push('');
  lines.push(`${r.descent.status}: ${r.descent.message}`);
  for (const d of r.diagnoses) lines.push(`  ${d}`);
  return lines.join('\n');
}

function networkReport(r: NetworkAnalysis, file: string): string {
  const lines: string[] = [];
  lines.push(`${file}:${r.range.startLine}: ${r.framework} network${r.name ? ` ${r.name}` : ''}: ${r.inputs} → ${r.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}`);
  lines.push(`  ${r.parameters} parameters; loss ${r.loss}${r.fromLogits ? ' (from logits)' : ''}; optimizer ${r.optimizer.name}, η = ${fmt(r.optimizer.learningRate)}; seed ${r.seed}`);
  lines.push(`  data: ${r.data.source}, ${r.data.samples} samples`);
  lines.push(`  ${gradientCheckText(r.gradientCheck, r.parameters)}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  const loss = r.training.loss;
  const marks = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].filter((e) => e < loss.length);
  lines.push('', '  epoch        loss');
  for (const e of marks) lines.push(`  ${String(e).padStart(5)}  ${fmt(loss[e]).padStart(10)}`);
  lines.push(`  ${'final'.padStart(5)}  ${fmt(r.training.finalLoss).padStart(10)}  (after ${r.training.epochs} epochs)`);
  if (r.training.stoppedBy === 'time budget') lines.push(`  trained ${r.training.epochs} of ${r.training.planned} epochs in ${r.training.seconds.toFixed(1)} s, the time budget; --epochs N for more`);
  return lines.join('\n');
}

/** Long tables keep their first and last rows. */
function elide(rows: string[][]): string[][] {
  if (rows.length <= 24) return rows;
  return [...rows.slice(0, 12), rows[0].map(() => '⋮'), ...rows.slice(-10)];
}

/** --hold and --free name numbers the plain-number forward pass gives a value at module level, and nothing else. */
function checkRoles(def: Definition, roles: Record<string, Role>): void {
  const names = def.kind === 'function' ? def.roleNames : undefined;
  const flags = [...new Set(Object.values(roles))].map((r) => (r === 'held' ? '--hold' : '--free')).join(' and ');
  if (!names) throw new UserError(`${flags}: the definition here is not a forward pass over plain numbers (names given numbers at the left margin, such as w1 = 0.15): its parameters are not chosen by name`, def.startLine, 1);
  for (const [name, role] of Object.entries(roles)) {
    if (!names.includes(name)) throw new UserError(`${role === 'held' ? '--hold' : '--free'}: '${name}' is not a number of this script (names: ${names.join(', ')})`, def.startLine, 1);
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows.map((r) => '  ' + r.map((cell, c) => cell.padStart(widths[c])).join('  '));
}

if (require.main === module) {
  // `… | head` closes the pipe early: the reader has what it wanted, so stop quietly, as Unix tools do
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  let code: number;
  try {
    code = main(process.argv.slice(2), (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n'));
  } catch (e) {
    process.stderr.write(`gradient-lens: internal error: ${(e as Error).message}\n`);
    code = 1;
  }
  process.exitCode = code;
}

