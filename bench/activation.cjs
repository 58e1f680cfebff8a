// One fresh process: time require(dist/extension.js) + activate() with the stand-in vscode.
const Module = require('module');
const path = require('path');
const stub = require('./vscode-stub.cjs');
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = process.hrtime.bigint();
const ext = require(path.resolve(__dirname, '..', 'dist', 'extension.js'));
ext.activate({ subscriptions: [], extensionUri: { toString: () => '/ext' } });
const t1 = process.hrtime.bigint();
// baseline in the same process: requiring a small module of the same shape
process.stdout.write(JSON.stringify({ ms: Number(t1 - t0) / 1e6 }));
