// A stand-in `vscode` module: just enough API for activate() and the hover
// provider, so the benchmark can load the bundled extension in plain Node.
class Disposable { dispose() {} }
class EventEmitter { constructor() { this.event = () => new Disposable(); } fire() {} dispose() {} }
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range { constructor(a, b, c, d) { if (a instanceof Position) { this.start = a; this.end = b; } else { this.start = new Position(a, b); this.end = new Position(c, d); } } }
class MarkdownString { constructor(v = '') { this.value = v; } appendMarkdown(s) { this.value += s; return this; } appendText(s) { this.value += s; return this; } }
class Hover { constructor(contents, range) { this.contents = [contents]; this.range = range; } }
class ThemeColor { constructor(id) { this.id = id; } }
class CodeLens { constructor(range, command) { this.range = range; this.command = command; } }
const registered = { hover: [], commands: new Map() };
const config = { get: () => undefined };
module.exports = {
  registered,
  Disposable, EventEmitter, Position, Range, MarkdownString, Hover, ThemeColor, CodeLens,
  ViewColumn: { One: 1, Beside: -2 },
  Uri: { parse: (s) => ({ toString: () => s, path: s }), joinPath: (u, ...p) => ({ toString: () => [u, ...p].join('/') }) },
  window: {
    createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
    createTextEditorDecorationType: () => ({ dispose() {} }),
    registerWebviewPanelSerializer: () => new Disposable(),
    visibleTextEditors: [],
    showWarningMessage() {}, showErrorMessage() {}, showInformationMessage() {},
    onDidChangeTextEditorSelection: () => new Disposable(),
    onDidChangeVisibleTextEditors: () => new Disposable(),
  },
  commands: { registerCommand: (id, fn) => { registered.commands.set(id, fn); return new Disposable(); } },
  languages: {
    registerHoverProvider: (_sel, p) => { registered.hover.push(p); return new Disposable(); },
    registerCodeLensProvider: () => new Disposable(),
    // the diagnostics of bad code (problems.ts)
    createDiagnosticCollection: () => ({ set() {}, delete() {}, dispose() {} }),
    match: () => 0,
  },
  workspace: {
    getConfiguration: () => config,
    onDidChangeTextDocument: () => new Disposable(),
    onDidCloseTextDocument: () => new Disposable(),
    onDidChangeConfiguration: () => new Disposable(),
    textDocuments: [],
  },
};
