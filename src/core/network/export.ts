/**
 * The trained network out of the panel or the command line: the weights as
 * JSON, as code in the file's framework (a load_state_dict literal for
 * PyTorch, a set_weights call for Keras and TF.js), the loss curve as CSV.
 */
import type { NetworkDefinition } from './spec';

export const EXPORT_FORMATS = ['json', 'code', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Exported {
  text: string;
  /** the VS Code language of `text` */
  language: string;
}

const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'NaN');
const matrix = (m: number[][], indent: string): string => `[\n${m.map((r) => `${indent}    [${r.map(num).join(', ')}]`).join(',\n')}\n${indent}]`;
const vector = (v: number[]): string => `[${v.map(num).join(', ')}]`;
const transpose = (m: number[][]): number[][] => (m[0] ?? []).map((_, j) => m.map((r) => r[j]));

export function exportNetwork(def: NetworkDefinition, weights: Array<{ W: number[][]; b: number[] }>, losses: number[], format: ExportFormat): Exported {
  const epochs = losses.length;
  if (format === 'csv') {
    return { text: `epoch,loss\n${losses.map((l, k) => `${k},${num(l)}`).join('\n')}\n`, language: 'csv' };
  }
  if (format === 'json') {
    const o = {
      framework: def.framework,
      name: def.name,
      inputs: def.inputs,
      loss: def.loss,
      optimizer: def.optimizer,
      epochs,
      finalLoss: losses[losses.length - 1] ?? null,
      layers: def.layers.map((l, k) => ({ units: l.units, activation: l.activation, W: weights[k].W, b: weights[k].b })),
    };
    return { text: `${JSON.stringify(o, null, 2)}\n`, language: 'json' };
  }
  const name = def.name ?? 'model';
  const head = `Weights after ${epochs} epoch${epochs === 1 ? '' : 's'} of training in Gradient Lens`;
  switch (def.framework) {
    case 'pytorch': {
      const keys = def.layers.map((l, k) => l.key ?? String(k));
      const entries = weights.flatMap((w, k) => [
        `    "${keys[k]}.weight": torch.tensor(${matrix(w.W, '    ')}, dtype=torch.float64),`,
        `    "${keys[k]}.bias": torch.tensor(${vector(w.b)}, dtype=torch.float64),`,
      ]);
      return { text: `# ${head}\nimport torch\n\nstate = {\n${entries.join('\n')}\n}\n${name}.double()\n${name}.load_state_dict(state)\n`, language: 'python' };
    }
    case 'tfjs': {
      const list = weights.flatMap((w) => [`  tf.tensor2d(${JSON.stringify(transpose(w.W))}),`, `  tf.tensor1d(${JSON.stringify(w.b)}),`]);
      return { text: `// ${head}: each kernel is (inputs × units)\n${name}.setWeights([\n${list.join('\n')}\n]);\n`, language: 'javascript' };
    }
    default: {
      // Keras (and the spec): kernels are (inputs × units)
      const list = weights.flatMap((w) => [`    np.array(${matrix(transpose(w.W), '    ')}),`, `    np.array(${vector(w.b)}),`]);
      return { text: `# ${head}: each kernel is (inputs × units)\nimport numpy as np\n\n${name}.set_weights([\n${list.join('\n')}\n])\n`, language: 'python' };
    }
  }
}
