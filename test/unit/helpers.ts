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

export function acceptance<T>(name: string): T[] {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'acceptance', name), 'utf8')) as T[];
}

export const EXTENSION: Record<string, string> = { plaintext: '.txt', markdown: '.md', python: '.py', javascript: '.js', typescript: '.ts' };

/** rtol·|b| + atol agreement */
export function near(a: number, b: number, rtol = 1e-5, atol = 1e-6): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}
