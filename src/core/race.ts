/**
 * A race: several optimizers from the same start and step limit, each at its
 * own learning rate (the command line gives them all the same), each run by
 * the one descent (runDescent), side by side. With a batch size every racer
 * gets the same seeded mini-batches: the shuffle is seeded per descent, so
 * step k draws the same samples in each.
 */
import { Tape } from './autodiff/tape';
import { DescentStatus, DescentTrace, runDescent } from './descent';
import type { OptimizerName } from './optimizers';
import { finite, record } from './analysis';

export interface RaceOptions {
  learningRate: number;
  maxSteps: number;
  start: Record<string, number>;
}

/** One optimizer in a race, at its own learning rate. */
export interface Racer {
  optimizer: OptimizerName;
  learningRate: number;
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

/** Each racer's descent from the same start with the same step limit (and, for a cost over data, the same seeded batches). */
export function raceTraces(tape: Tape, racers: readonly Racer[], options: { maxSteps: number; start: Record<string, number>; batchSize?: number }, f = 'f'): DescentTrace[] {
  return racers.map((r) => runDescent(tape, { ...options, optimizer: r.optimizer, learningRate: r.learningRate }, {}, f));
}

export function runRace(tape: Tape, optimizers: readonly OptimizerName[], options: RaceOptions, f = 'f'): RaceEntry[] {
  const racers = optimizers.map((optimizer) => ({ optimizer, learningRate: options.learningRate }));
  return raceTraces(tape, racers, options, f).map((trace, k) => {
    const last = trace.steps[trace.steps.length - 1];
    return {
      optimizer: racers[k].optimizer,
      learningRate: racers[k].learningRate,
      status: trace.status,
      message: trace.message,
      steps: trace.steps.length - 1,
      final: { point: record(tape.params, last.point), value: finite(last.value) },
      path: trace.steps.map((s) => record(tape.params, s.point)),
    };
  });
}
