/**
 * package.json as VS Code reads it: both entries, and a walkthrough whose
 * media and buttons point at things that exist in the packaged extension.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// compiled to out/test/unit/
const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string; altText?: string } }

describe('the manifest', () => {
  it('has a Node entry and a browser entry, and declares virtual and untrusted workspaces', () => {
    assert.strictEqual(pkg.main, './dist/extension.js');
    assert.strictEqual(pkg.browser, './dist/web.js');
    assert.strictEqual(pkg.capabilities.virtualWorkspaces, true);
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, true);
  });

  it('the walkthrough: five steps, each with media that exists and a button running a contributed command on an example that is packaged', () => {
    const [walkthrough] = pkg.contributes.walkthroughs as Array<{ title: string; steps: Step[] }>;
    assert.strictEqual(walkthrough.title, 'See gradient descent in your code');
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.title), ['Open an example', 'Hover a parameter', 'Run Visualize Gradient Descent', 'Step the Backprop view', 'Train a network']);
    const commands = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!examples\/\*\*$/m, 'examples/ is packaged');
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(root, media)), `${step.id}: media ${media}`);
      if (step.media.image) assert.ok(step.media.altText, `${step.id}: an image needs its alt text`);
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)];
      assert.strictEqual(links.length, 1, `${step.id}: one button`);
      const [, command, query] = links[0];
      assert.ok(commands.has(command), `${step.id}: ${command} is contributed`);
      const args = JSON.parse(decodeURIComponent(query ?? '[]')) as unknown[];
      assert.ok(Array.isArray(args));
      if (command === 'gradientLens.openExample') assert.ok(fs.existsSync(path.join(root, 'examples', String(args[0]))), `${step.id}: examples/${args[0]}`);
    }
  });
});
