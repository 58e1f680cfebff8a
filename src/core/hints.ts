/**
 * What a file says about how to descend, written the way course code writes
 * it: a learning rate in a module-level constant (`alpha = 0.01`,
 * `const learningRate = 0.002;`) and a number of iterations (`num_iters =
 * 1500`), or the arguments of the call that trains the function. The panel
 * and the command line start from these when the user has not chosen; the
 * file is read, never run.
 */
export interface DescentHints {
  learningRate?: number;
  maxSteps?: number;
}

const RATE_NAMES = ['lr', 'LR', 'learning_rate', 'learningRate', 'LEARNING_RATE', 'alpha', 'ALPHA', 'eta', 'ETA', 'step_size', 'stepSize'];
const STEP_NAMES = ['steps', 'num_steps', 'n_steps', 'numSteps', 'num_iters', 'n_iters', 'iterations', 'num_iterations', 'iters', 'max_iter', 'maxIter', 'NUM_ITERS', 'ITERATIONS', 'epochs', 'num_epochs', 'n_epochs', 'numEpochs', 'EPOCHS'];

/** The largest step count the panel runs. */
export const MAX_STEPS = 10_000;

/**
 * A rate's name with a word around it, as labs write it (`tmp_alpha`, `alpha_init`, `base_lr`), but
 * not a rate of something else (`lr_decay`, `alpha_l2`, `min_lr`).
 */
const RATE_WORDS = new Set(['alpha', 'lr', 'learning_rate', 'eta', 'step_size']);
const NOT_THE_RATE = new Set(['decay', 'min', 'max', 'reg', 'l1', 'l2', 'lambda', 'factor', 'gamma', 'warmup', 'schedule', 'scheduler', 'patience', 'final', 'end']);

function rateLike(name: string): boolean {
  // snake_case or camelCase words, lowercased, with learning_rate and step_size kept whole
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/learning_rate/g, 'learning·rate').replace(/step_size/g, 'step·size')
    .split('_').filter(Boolean).map((w) => w.replace('·', '_'));
  return words.length > 1 && words.some((w) => RATE_WORDS.has(w)) && !words.some((w) => NOT_THE_RATE.has(w));
}

/**
 * What names holding numbers say about the descent, in order: a rate's own name first, wherever it
 * is, one with a word around it otherwise; the first iteration count.
 */
export function hintsOf(named: Iterable<[string, number]>): DescentHints {
  const out: DescentHints = {};
  let likeRate: number | undefined;
  for (const [name, v] of named) {
    if (!Number.isFinite(v)) continue;
    if (out.learningRate === undefined && RATE_NAMES.includes(name) && v > 0 && v <= 10) out.learningRate = v;
    if (likeRate === undefined && rateLike(name) && v > 0 && v <= 10) likeRate = v;
    if (out.maxSteps === undefined && STEP_NAMES.includes(name) && Number.isInteger(v) && v >= 1) out.maxSteps = Math.min(v, MAX_STEPS);
  }
  if (out.learningRate === undefined && likeRate !== undefined) out.learningRate = likeRate;
  return out;
}

/** The module-level constants of a file (`alpha = 0.01`, `const learningRate = 0.002;`, `num_iters = 1500`). */
export function descentHints(text: string): DescentHints {
  const line = /^[ \t]*(?:(?:export[ \t]+)?(?:const|let|var)[ \t]+)?([A-Za-z_]\w*)[ \t]*(?::[ \t]*number[ \t]*)?=[ \t]*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)[ \t]*;?[ \t]*(?:(?:#|\/\/).*)?$/gm;
  return hintsOf([...text.matchAll(line)].map((m): [string, number] => [m[1], Number(m[2])]));
}

/**
 * The descent a function is given: what the call that trains it says (its `gradient_descent(…, alpha,
 * num_iters, compute_cost, …)` or `run_gd(…, lr=5e-3, epochs=200)`) over the file's constants.
 */
export function descentOf(def: { trainedWith?: DescentHints }, text: string): DescentHints {
  return { ...descentHints(text), ...def.trainedWith };
}
