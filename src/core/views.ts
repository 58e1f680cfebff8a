/**
 * What the panel shows, as plain data: the view models the core computes and
 * the host sends to the webview. The wire protocol (src/protocol.ts) carries
 * these; the core builds them without knowing about the protocol.
 */
import type { OptimizerName } from './optimizers';
import type { Expr } from './expr/ast';
import type { DataBinding } from './source/definition';

/**
 * How a descent runs: what the panel's controls, the settings and the command
 * line's flags set. The one options type from the CLI to the webview.
 */
export interface DescentOptions {
  learningRate: number;
  maxSteps: number;
  optimizer: OptimizerName;
  /** start value per parameter */
  start: Record<string, number>;
  /** a cost over data: samples per step (stochastic / mini-batch descent, seeded shuffling); absent or 0: all of them */
  batchSize?: number;
  /** a cost over data: the sample whose term the Backprop view draws (0-based) */
  sample?: number;
}

/**
 * How a descent ended: at a minimum (`converged`), where the gradient vanished
 * but f still falls (`saddle`), held up by a saturated unit or a flat stretch
 * (`stalled`), falling without limit (`unbounded`), overshooting (`diverged`),
 * at the step limit, or where f is undefined.
 */
export const DESCENT_STATUSES = ['converged', 'saddle', 'stalled', 'unbounded', 'diverged', 'max-steps', 'undefined'] as const;
export type DescentStatus = (typeof DESCENT_STATUSES)[number];

/** The computational graph after one forward and one backward pass. */
export interface GraphJson {
  nodes: Array<{
    id: number; op: string; label: string | null; value: number | null; grad: number | null;
    /** document offsets of the source this node came from (-1 when none) */
    start: number; end: number;
    /** that source text, as written (when the document text is known) */
    text: string | null;
  }>;
  edges: Array<[number, number]>;
  /** ∂(edge target)/∂(edge source) at the point, aligned with `edges`: the factor of each chain-rule product */
  localGradients: Array<number | null>;
  /** the edges in the order the backward pass adds their products into their sources' gradients */
  backwardOrder: number[];
  /** aligned with `edges`: ∂f/∂(edge source) right after this edge's product is added (the running sum; null into constants) */
  accumulated: Array<number | null>;
  output: number;
}

/**
 * The graph's values at the descent's steps, sent once with the view so the
 * Backprop view follows the animation without asking the host. Arrays align
 * with `GraphJson.nodes` (values, grads) and `GraphJson.edges` (local
 * gradients); null where not finite.
 */
export interface GraphTrace {
  /** the descent steps included, ascending: every step, or every k-th (and the last) for long runs */
  steps: number[];
  values: Array<Array<number | null>>;
  grads: Array<Array<number | null>>;
  localGradients: Array<Array<number | null>>;
  accumulated: Array<Array<number | null>>;
}

/** One descent step; arrays are in parameter order, null where not finite. */
export interface StepView {
  point: Array<number | null>;
  value: number | null;
  gradient: Array<number | null>;
  update: Array<number | null> | null;
  /** the optimizer's state after this step, by name (momentum's v, Adam's m̂ and v̂), per parameter */
  state: Record<string, Array<number | null>> | null;
  /** stochastic / mini-batch descent: the samples the update used (0-based), and their gradient, which the update used */
  batch: number[] | null;
  batchGradient: Array<number | null> | null;
}

export type PlotView =
  | { kind: 'curve'; param: string; xs: number[]; ys: Array<number | null> }
  | { kind: 'contour'; x: AxisView; y: AxisView; /** row-major, y rows × x columns */ values: Array<number | null>; /** for >2 params: the point the slice goes through */ through?: Array<number | null> };

export interface AxisView {
  param: string;
  index: number;
  min: number;
  max: number;
  n: number;
}

export interface FunctionView {
  kind: 'function';
  /** e.g. "loss(w, b)" */
  title: string;
  file: string;
  name: string | null;
  params: string[];
  expression: string;
  expressionTex: string;
  /** the body as a person writes it (what a screen reader says) */
  expressionText: string;
  gradientTex: Record<string, string>;
  /** the same partials as plain math text (what a screen reader says) */
  gradientText: Record<string, string>;
  /**
   * the partials in the code's own names, where the code names intermediates they go through
   * (null: it names none, and the panel offers no toggle): the short form and the chain rule, TeX and text
   */
  gradientNamed: Record<string, { tex: string; text: string; chainTex: string | null; chainText: string | null; chainSteps: Array<number[] | null> | null }> | null;
  symbolicNote: string | null;
  /** messages about kinks (symbolic and numeric disagree) and domain errors at the start */
  warnings: string[];
  /** why the descent behaved as it did, in words (oscillation, a kink crossed, a plateau) */
  diagnoses: string[];
  options: DescentOptions;
  status: DescentStatus;
  statusMessage: string;
  steps: StepView[];
  plot: PlotView;
  /** the graph at the start point (structure, and values of step 0) */
  graph: GraphJson;
  graphTrace: GraphTrace;
  /**
   * A cost over data written as a Σ: the graph (and its trace) is one sample's term, `graphName`
   * (`cost₍₃₎`), for the sample `graphSample`; the unrolled graph would have every sample's copy
   */
  graphSample: number | null;
  /** stochastic descent with no sample chosen: the sample whose term the graph shows at each descent step (else null: `graphSample` at every step) */
  graphSampleAt: number[] | null;
  graphName: string | null;
  graphNote: string | null;
  /** the c of f = c · Σᵢ termᵢ (1/m for a mean): ∂f/∂termₖ, the edge from the sample's term into the Σ */
  graphSumFactor: number | null;
  /** a cost over data: its sample count, and with a batch size the full-batch path from the same start for comparison */
  samples: number | null;
  fullBatchPath: Array<Array<number | null>> | null;
  /** a cost over data with one input: the data and the model's prediction, drawn beside the cost at every step */
  fit: { input: string; target: string; x: number[]; y: number[]; model: Expr; inputParam: string } | null;
  /** a cost over data with two inputs and 0/1 labels: the samples by class and the prediction whose level set `threshold` is the decision boundary */
  boundary: { inputs: [string, string]; target: string; x1: number[]; x2: number[]; y: number[]; model: Expr; threshold: number } | null;
  /** a network shown neuron by neuron: its weights are the parameters; the panel offers the way back */
  fromNetwork?: { title: string; notes: string[] };
  /** a cost over data: what each data argument is bound to and why (a guess by name is shown as one, with the picker beside it) */
  data: DataBinding[] | null;
  /** a forward pass over plain numbers: the names the user may move between parameter and held (the panel's "Parameters…" button) */
  roleNames: string[] | null;
}

/**
 * A cost over data with no data anywhere: what can be said without numbers.
 * J = c · Σᵢ₌₁^m termᵢ and its partials, the term of one sample and its
 * partials (what the Backprop view would run, written out), and how to bind data.
 */
export interface UnboundView {
  kind: 'unbound';
  title: string;
  file: string;
  name: string | null;
  params: string[];
  expressionTex: string;
  expressionText: string;
  gradientTex: Record<string, string>;
  gradientText: Record<string, string>;
  /** one sample's term and its partials, symbolically; null with `termNote` saying why not */
  term: { tex: string; text: string; gradientTex: Record<string, string>; gradientText: Record<string, string> } | null;
  termNote: string;
  /** the arguments that need data */
  args: string[];
  /** how to bind data, in one line */
  message: string;
}

/** One optimizer of a race in the panel: its learning rate, how it ended and every step (as the descent recorded it). */
export interface RaceRunView {
  optimizer: OptimizerName;
  learningRate: number;
  status: DescentStatus;
  statusMessage: string;
  steps: StepView[];
}

/** Several optimizers from the same start (and the same seeded batches), side by side. */
export interface RaceView {
  start: Record<string, number>;
  maxSteps: number;
  /** samples per step when the racers ran mini-batch descent on a cost over data (the same batches for all), else null */
  batchSize: number | null;
  runs: RaceRunView[];
  /** the curve or contour around every racer's path */
  plot: PlotView;
}

/**
 * How the sweep marks a learning rate: converged (smoothly), oscillating (a zig-zag, converged or not),
 * diverged, unbounded, the step limit reached while still descending slowly, or another end.
 */
export const SWEEP_MARKS = ['converged', 'oscillating', 'diverged', 'unbounded', 'max-steps', 'other'] as const;
export type SweepMark = (typeof SWEEP_MARKS)[number];

/** A learning-rate sweep from the current start, as the panel draws it. */
export interface SweepView {
  optimizer: OptimizerName;
  start: Record<string, number>;
  maxSteps: number;
  etas: number[];
  status: DescentStatus[];
  finalValue: Array<number | null>;
  steps: number[];
  /** per learning rate: converged / oscillating / diverged / unbounded / max-steps / other (core/sweep.ts sweepMark) */
  marks: SweepMark[];
  /** L, the Hessian's largest eigenvalue at the lowest minimum reached, and 2/L (null when no run converged, or L ≤ 0) */
  curvature: number | null;
  etaLimit: number | null;
  /** how long the host took to compute it, and the longest it held the host at a time (it computes in slices) */
  ms: number;
  heldMs: number;
}

/** A race of optimizers on a network from the same initial weights (core/network/race.ts), once trained. */
export interface NetworkRaceView {
  /** epochs each racer trained: the file's, else the default */
  epochs: number;
  /** samples per update when the file trains in mini-batches (the same seeded batches for every racer), else null */
  batchSize: number | null;
  runs: Array<{ optimizer: OptimizerName; learningRate: number; losses: Array<number | null>; status: 'finished' | 'diverged' }>;
  /** how long the engine took, and the longest it held its thread at a time (it trains in slices) */
  ms: number;
  heldMs: number;
}

/** The loss around the network's weights at one epoch on a plane of two filter-normalised random directions (core/network/landscape.ts). */
export interface LandscapeView {
  /** the epoch whose weights are the centre */
  epoch: number;
  /** grid points per side; α and β run over [−extent, extent] */
  side: number;
  extent: number;
  /** row-major side × side, rows from β = −extent up; null where the loss is not finite */
  values: Array<number | null>;
  /** the loss at the centre: the current weights' */
  centre: number;
  /** the recorded weights projected onto the plane, the last the centre; `outside`: the share of each point's distance the plane leaves out */
  path: Array<{ epoch: number; a: number; b: number; outside: number }>;
  /** why no path is drawn, when none is */
  pathNote: string | null;
  seed: number;
  parameters: number;
  samples: number;
  ms: number;
  heldMs: number;
}

/** A network as the panel draws it: structure and data (what changes per epoch is in NetworkFrame). */
export interface GradientCheckView {
  /** what was checked and the worst relative error, where (gradientCheckText) */
  text: string;
}

export interface NetworkView {
  kind: 'network';
  title: string;
  file: string;
  framework: string;
  inputs: number;
  layers: Array<{ units: number; activation: string; line: number }>;
  parameters: number;
  loss: string;
  optimizer: { name: OptimizerName; learningRate: number };
  seed: number;
  dataset: string;
  /** what the dataset menu offers: "file" (when the file has data) and fitting built-ins */
  datasets: string[];
  /** samples to plot (first two inputs) and their targets (first output, or the class index) */
  points: Array<{ x: number[]; label: number }>;
  task: 'classification' | 'regression';
  /** the check's sentence; null while it runs (it arrives as a `gradientCheck` message) */
  gradientCheck: GradientCheckView | null;
  notes: string[];
  /** whether the panel can step through this network neuron by neuron, and why not */
  neurons: { available: boolean; reason: string | null };
  /** for the smallest networks: the loss of one sample as a function of the weights, with its partials */
  symbolic: { lossTex: string; partials: Array<{ name: string; tex: string; value: number | null; backprop: number }> } | null;
  /**
   * `units`: every unit and weight drawn (frames carry every parameter);
   * `bands`: a network too wide to draw unit by unit, each layer a band with
   * its count and each weight matrix a band coloured by its norm (frames carry
   * per-layer summaries; one layer's W comes as a heat map on request)
   */
  diagram: 'units' | 'bands';
  /** inputs that are images (28 × 28, 32 × 32 × 3 channels first): a few samples to draw, pixels scaled to 0–255 over them */
  images: { width: number; height: number; channels: number; samples: Array<{ index: number; pixels: number[]; label: number }> } | null;
}

/** One dense layer's weights and gradient, summarised for the bands diagram. */
export interface LayerSummary {
  /** rows × columns of W: the layer's units × its inputs */
  rows: number;
  cols: number;
  /** ‖W‖ (Frobenius) and the last backward pass's ‖∂L/∂W‖ (null before any) */
  norm: number;
  gradNorm: number | null;
  min: number;
  max: number;
  mean: number;
}

/** One layer's W as a grid of at most maxCells × maxCells block averages (each cell the mean of blockRows × blockCols weights, fewer at the edges). */
export interface LayerHeatmap {
  /** 0-based dense layer */
  layer: number;
  epoch: number;
  rows: number;
  cols: number;
  gridRows: number;
  gridCols: number;
  blockRows: number;
  blockCols: number;
  /** row-major gridRows × gridCols */
  values: number[];
  /** over the weights themselves (not the averages) */
  min: number;
  max: number;
}

export type TrainPhase = 'forward' | 'loss' | 'backward' | 'update';

/** The state after some training. Parameters flat as in the engine: per layer W (units × fanIn, row-major) then b. */
export type TrainingStatus = 'idle' | 'training' | 'paused' | 'finished';

export interface NetworkFrame {
  epoch: number;
  /** idle (not started), training, paused, or finished (reached `targetEpochs`) */
  status: TrainingStatus;
  /** where training stops: the file's epochs (`fit(epochs=…)`, `range(N)`) or the default */
  targetEpochs: number;
  /** epochs per second while training */
  epochsPerSecond: number;
  /** the loss at the current parameters (before any training too) */
  current: number | null;
  /** the epoch of loss[0]: frames send only what the previous frames did not */
  from: number;
  /** loss per epoch from `from` on */
  loss: Array<number | null>;
  /** per epoch from `from` on, per layer: ‖∂L/∂W‖ */
  gradNorms: number[][];
  /** every parameter and its gradient, for a `units` diagram; null for `bands` (see `layers`) */
  params: number[] | null;
  grads: number[] | null;
  /** per dense layer: its W summarised */
  layers: LayerSummary[];
  /** classification: the fraction of samples the model classifies right at the current parameters (argmax, or one output ≥ 0.5) */
  accuracy: number | null;
  /** for the view's image samples, in order: the predicted class (regression: the first output) */
  predictions: number[] | null;
  /** what training looks like from inside, in words: plateau, vanishing gradients, dead ReLUs, saturation */
  diagnoses: string[];
  /** the model's output over a grid of the first two inputs (2-D) or a line (1-D) */
  surface: { kind: 'grid'; xmin: number; xmax: number; ymin: number; ymax: number; n: number; values: number[] } | { kind: 'curve'; xs: number[]; ys: number[] } | null;
  /**
   * one pass shown phase by phase, for the first sample in every phase: its
   * activations per layer (input first), its loss and its gradients (flat as
   * `params`, null for a `bands` diagram) at the weights and biases it ran
   * with (`weights`, before the update; null for bands); the epoch's update
   * then uses the mean over all `batch` samples
   */
  pass: { phase: TrainPhase; activations: number[][]; sampleLoss: number; sampleGrads: number[] | null; /** per layer ‖∂L₁/∂W‖ */ sampleGradNorms: number[]; weights: number[] | null; batch: number } | null;
  /** while a loss landscape is shown: the weights now, projected onto its plane (α, β), and how far out of the plane they lie */
  landscapePoint?: { a: number; b: number; outside: number } | null;
}

