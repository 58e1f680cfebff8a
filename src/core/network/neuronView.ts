/** Which networks the panel can step through neuron by neuron (core/neurons.ts builds the scalar function). */
import type { NetworkDefinition } from './spec';

/** Networks up to this many weights and biases are shown neuron by neuron. */
export const NEURON_VIEW_MAX_PARAMETERS = 64;

/** Why a network cannot be shown neuron by neuron, or undefined when it can. */
export function neuronViewRefusal(def: NetworkDefinition, parameters: number): string | undefined {
  if (parameters > NEURON_VIEW_MAX_PARAMETERS) return `the network has ${parameters} weights and biases; the neuron-by-neuron view takes up to ${NEURON_VIEW_MAX_PARAMETERS}`;
  const bad = def.layers.find((l, i) => ['elu', 'gelu'].includes(l.activation) || (l.activation === 'softmax' && i !== def.layers.length - 1));
  if (bad) return `the activation ${bad.activation} is not drawn neuron by neuron (supported: linear, relu, leaky_relu, sigmoid, tanh, softplus, and softmax on the output)`;
  return undefined;
}

