/**
 * A race of optimizers on a network: one Trainer per optimizer, each at its
 * own learning rate, all built from the same definition, seed and data — so
 * the same initial weights, and with a batch size the same seeded batches —
 * trained epoch by epoch in turn, as steps a caller spreads over time slices.
 */
import type { OptimizerName } from '../optimizers';
import { Trainer, TrainerOptions } from './trainer';
import type { NetworkDefinition } from './spec';

export interface NetworkRacer {
  optimizer: OptimizerName;
  learningRate: number;
}

export interface NetworkRaceRun {
  optimizer: OptimizerName;
  learningRate: number;
  /** the loss of each epoch, as the panel's own training records it; null where it was not finite */
  losses: Array<number | null>;
  /** finished: trained every epoch; diverged: stopped at the first epoch whose loss was not finite */
  status: 'finished' | 'diverged';
}

/**
 * Trains each racer for `epochs` epochs, one epoch of each in turn (so a
 * race stopped half-way has every racer half-way), yielding the epochs done
 * in all after every piece of an epoch. Each epoch runs in pieces as the
 * panel's Train does (Trainer.advance with a deadline), so a racer's losses
 * are the ones that optimizer's own run in the panel shows.
 */
export function* networkRaceSteps(def: NetworkDefinition, options: TrainerOptions, racers: readonly NetworkRacer[], epochs: number): Generator<number, NetworkRaceRun[]> {
  const runs = racers.map((r) => ({
    trainer: new Trainer(def, { ...options, optimizer: r.optimizer, learningRate: r.learningRate }),
    run: { optimizer: r.optimizer, learningRate: r.learningRate, losses: [] as Array<number | null>, status: 'finished' as NetworkRaceRun['status'] },
    over: false,
  }));
  let done = 0;
  for (let e = 0; e < epochs; e++) {
    for (const r of runs) {
      if (r.over) {
        done++;
        continue;
      }
      let rec = r.trainer.advance(-Infinity);
      while (!rec) {
        yield done;
        rec = r.trainer.advance(-Infinity);
      }
      done++;
      const finite = Number.isFinite(rec.loss);
      r.run.losses.push(finite ? rec.loss : null);
      if (!finite) {
        r.over = true;
        r.run.status = 'diverged';
      }
      yield done;
    }
  }
  return runs.map((r) => r.run);
}
