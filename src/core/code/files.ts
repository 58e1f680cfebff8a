/**
 * Data files a program reads (`np.loadtxt`, `np.genfromtxt`, `pd.read_csv`,
 * `np.load`, `open`): read through the host's reader, never executed, and
 * held packed (packed.ts); every failure is a message located at the call.
 */
import type { UserError } from '../errors';
import { readDelimited, tableColumn } from './data';
import { isBinaryDataFile, npyRows, readNpy } from './npy';
import type { Span, X } from './ir';
import { packedArray } from './packed';
import { Call, FileReader, V, isNum, num } from './values';

export class DataFiles {
  constructor(private readonly readFile: FileReader | undefined, private readonly err: (at: Span, message: string) => UserError) {}

  private content(name: string, at: X & { k: 'call' }): string | Uint8Array {
    if (!this.readFile) throw this.err(at, `cannot read '${name}' here`);
    const content = this.readFile(name);
    if (content === undefined) throw this.err(at.args[0] ?? at, `cannot read the data file '${name}' (looked beside this file)`);
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) throw this.err(at.args[0] ?? at, `the data file '${name}' ${content.message}`);
    return content;
  }

  text(name: string, at: X & { k: 'call' }): string {
    const text = this.content(name, at);
    if (typeof text !== 'string') throw this.err(at.args[0] ?? at, `'${name}' is a binary NumPy file: read it with np.load('${name}')`);
    return text;
  }

  /** `np.load('x_train.npy')`: the array in a .npy file, read from its bytes (never unpickled). */
  npy(c: Call, at: X & { k: 'call' }): V {
    const file = c.args[0];
    if (!file || file.t !== 'str') throw this.err(at, 'np.load() needs the file name as a string written in the code');
    if (!isBinaryDataFile(file.s)) throw this.err(at.args[0] ?? at, `np.load reads .npy files; '${file.s}' is read with np.loadtxt('${file.s}')`);
    const bytes = this.content(file.s, at);
    const arr = typeof bytes === 'string' ? 'is not a .npy file (it was read as text)' : readNpy(bytes);
    if (typeof arr === 'string') throw this.err(at.args[0] ?? at, `the data file '${file.s}' ${arr}`);
    const rows = npyRows(arr);
    if (rows) return packedArray(rows.data, rows.count, rows.width, at, file.s);
    let k = 0;
    const build = (level: number): V => (level === arr.shape.length ? { t: 's', e: num(arr.data[k++], at) } : { t: 'arr', items: Array.from({ length: arr.shape[level] }, () => build(level + 1)), ...(level === 0 ? { origin: file.s } : {}) });
    return build(0);
  }

  delimited(name: string, c: Call, at: X & { k: 'call' }): V {
    const file = c.args[0];
    if (!file || file.t !== 'str') throw this.err(at, `${name}() needs the file name as a string written in the code`);
    const text = this.text(file.s, at);
    const delimiter = c.kw.get('delimiter') ?? c.kw.get('sep');
    const skip = c.kw.get('skiprows') ?? c.kw.get('skip_header');
    const table = readDelimited(text, {
      delimiter: delimiter?.t === 'str' ? delimiter.s : undefined,
      skipRows: skip && isNum(skip) ? skip.e.value : 0,
      header: name === 'read_csv' ? true : name === 'genfromtxt' && c.kw.get('names')?.t === 'bool' ? true : undefined,
    });
    if (typeof table === 'string') throw this.err(at, `${file.s}: ${table}`);
    if (name === 'read_csv') {
      return { t: 'obj', frame: true, fields: new Map(table.columns.map((col, j) => [col, packedArray(tableColumn(table, j), table.count, 0, at)])) };
    }
    return packedArray(table.data, table.count, table.width === 1 ? 0 : table.width, at, file.s);
  }
}
