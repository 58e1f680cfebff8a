// Runs Mocha on the given compiled test files and writes { passed, failed } to
// the file named by GRADIENT_LENS_RESULTS. Usage: node run-mocha.cjs <files…>
const Mocha = require('mocha');
const fs = require('fs');

const files = process.argv.slice(2);
const mocha = new Mocha({ grep: process.env.MOCHA_GREP, reporter: 'spec', timeout: Number(process.env.MOCHA_TIMEOUT || 20000), color: process.stdout.isTTY });
for (const f of files) mocha.addFile(f);
mocha.run((failures) => {
  process.exitCode = failures ? 1 : 0;
}).on('end', function () {
  const out = process.env.GRADIENT_LENS_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify({ passed: this.stats.passes, failed: this.stats.failures, pending: this.stats.pending }));
});
