/**
 * A race: several optimizers from the same start with the same learning rate
 * and step limit, each run by the one descent (runDescent), side by side.
 */
import { Tape } from './autodiff/tape';
import { DescentStatus, runDescent } from './descent';
import type { OptimizerName } from './optimizers';
import { finite, record } from './analysis';

export interface RaceOptions {
  learningRate: number;
  maxSteps: number;
  start: Record<string, number>;
}

export interface RaceEntry {
  optimizer: OptimizerName;
  learningRate: number;
  status: DescentStatus;
  message: string;
  /** the steps it took (the path has one point more: the start) */
  steps: number;
  final: { point: Record<string, number | null>; value: number | null };
  path: Array<Record<string, number | null>>;
}

export function runRace(tape: Tape, optimizers: readonly OptimizerName[], options: RaceOptions, f = 'f'): RaceEntry[] {
  return optimizers.map((optimizer) => {
    const trace = runDescent(tape, { ...options, optimizer }, {}, f);
    const last = trace.steps[trace.steps.length - 1];
    return {
      optimizer,
      learningRate: options.learningRate,
      status: trace.status,
      message: trace.message,
      steps: trace.steps.length - 1,
      final: { point: record(tape.params, last.point), value: finite(last.value) },
      path: trace.steps.map((s) => record(tape.params, s.point)),
    };
  });
}
