import * as vscode from 'vscode';
import { DEFAULT_LEARNING_RATE, DEFAULT_MAX_STEPS, DEFAULT_START } from '../core/analysis';

/** The user's `gradientLens.*` settings, with the core's defaults. */
export function settings(): { learningRate: number; maxSteps: number; startPoint: number; codeLens: boolean } {
  const c = vscode.workspace.getConfiguration('gradientLens');
  const num = (key: string, fallback: number, ok: (v: number) => boolean): number => {
    const v = c.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
  };
  return {
    learningRate: num('learningRate', DEFAULT_LEARNING_RATE, (v) => v > 0 && v <= 100),
    maxSteps: Math.round(num('maxSteps', DEFAULT_MAX_STEPS, (v) => v >= 1 && v <= 10000)),
    startPoint: num('startPoint', DEFAULT_START, () => true),
    codeLens: c.get<boolean>('codeLens.enabled') !== false,
  };
}
