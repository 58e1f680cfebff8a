import * as path from 'path';
import * as fs from 'fs';

/** The repository root (tests are bundled into out/test/<stage>/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface FunctionCase {
  id: string;
  language: string;
  source: string;
  line: number;
  params: string[];
  at: Record<string, number>;
  lr: number;
  expect: { value: number; gradient: Record<string, number> };
}
export interface BadCase {
  id: string;
  language: string;
  line: number;
  source: string;
  options?: { lr?: number; steps?: number; at?: Record<string, number> };
  expect: string;
}

/** A case of status.json: a descent and the status (or any of the statuses) its end must get. */
export interface StatusCase {
  id: string;
  language: string;
  source: string;
  line: number;
  at?: Record<string, number>;
  lr: number;
  steps?: number;
  status: string | string[];
  why: string;
}

export function acceptance<T>(name: string): T[] {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'acceptance', name), 'utf8')) as T[];
}

export const EXTENSION: Record<string, string> = { plaintext: '.txt', markdown: '.md', python: '.py', javascript: '.js', typescript: '.ts', ipynb: '.ipynb' };

/** A case of realworld.json: a function over data, a script, a notebook cell, or a network. */
export interface RealworldCase {
  id: string;
  kind: 'function' | 'network';
  language: string;
  source: string;
  line: number;
  cell?: number;
  files?: Record<string, string>;
  params?: string[];
  at?: Record<string, number>;
  note?: string;
  expect: {
    value?: number; gradient?: Record<string, number>;
    inputs?: number; layers?: Array<{ units: number; activation: string }>; parameters?: number; loss?: string;
    optimizer?: { name: string; learningRate: number }; dataSamples?: number; initialLoss?: number;
    afterOneStep?: { layer: number; W: number[][] };
  };
}

/** rtol·|b| + atol agreement */
export function near(a: number, b: number, rtol = 1e-5, atol = 1e-6): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}
