/**
 * What a file says about how to descend, written the way course code writes
 * it: a learning rate in a module-level constant (`alpha = 0.01`,
 * `const learningRate = 0.002;`) and a number of iterations (`num_iters =
 * 1500`). The panel and the command line start from these when the user has
 * not chosen; the file is read, never run.
 */
export interface DescentHints {
  learningRate?: number;
  maxSteps?: number;
}

const RATE_NAMES = ['lr', 'LR', 'learning_rate', 'learningRate', 'LEARNING_RATE', 'alpha', 'ALPHA', 'eta', 'ETA', 'step_size', 'stepSize'];
const STEP_NAMES = ['steps', 'num_steps', 'n_steps', 'numSteps', 'num_iters', 'n_iters', 'iterations', 'num_iterations', 'iters', 'max_iter', 'maxIter', 'NUM_ITERS', 'ITERATIONS'];

/** The largest step count the panel runs. */
export const MAX_STEPS = 10_000;

export function descentHints(text: string): DescentHints {
  const out: DescentHints = {};
  const line = /^[ \t]*(?:(?:export[ \t]+)?(?:const|let|var)[ \t]+)?([A-Za-z_]\w*)[ \t]*(?::[ \t]*number[ \t]*)?=[ \t]*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)[ \t]*;?[ \t]*(?:(?:#|\/\/).*)?$/gm;
  for (const m of text.matchAll(line)) {
    const [, name, raw] = m;
    const v = Number(raw);
    if (!Number.isFinite(v)) continue;
    if (out.learningRate === undefined && RATE_NAMES.includes(name) && v > 0 && v <= 10) out.learningRate = v;
    if (out.maxSteps === undefined && STEP_NAMES.includes(name) && Number.isInteger(v) && v >= 1) out.maxSteps = Math.min(v, MAX_STEPS);
  }
  return out;
}
