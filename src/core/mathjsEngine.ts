/**
 * The slice of mathjs Gradient Lens uses: building trees, differentiating,
 * simplifying, LaTeX, and evaluating the functions a derivative can contain.
 * Bundled as its own file and required on first use, so activating the
 * extension does not pay for compiling mathjs; the textbook forms of its
 * derivatives (textbook.ts) come with it.
 */
import {
  create, derivativeDependencies, simplifyDependencies, parseDependencies, compileDependencies,
  expDependencies, logDependencies, log10Dependencies, log2Dependencies, sqrtDependencies, absDependencies, signDependencies,
  sinDependencies, cosDependencies, tanDependencies, secDependencies, cscDependencies, cotDependencies,
  asinDependencies, acosDependencies, atanDependencies,
  sinhDependencies, coshDependencies, tanhDependencies, sechDependencies, cschDependencies, cothDependencies,
  powDependencies, addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, unaryMinusDependencies, unaryPlusDependencies,
  piDependencies, eDependencies,
  type MathJsInstance,
} from 'mathjs';

export function createMathjs(): MathJsInstance {
  return create({
    derivativeDependencies, simplifyDependencies, parseDependencies, compileDependencies,
    expDependencies, logDependencies, log10Dependencies, log2Dependencies, sqrtDependencies, absDependencies, signDependencies,
    sinDependencies, cosDependencies, tanDependencies, secDependencies, cscDependencies, cotDependencies,
    asinDependencies, acosDependencies, atanDependencies,
    sinhDependencies, coshDependencies, tanhDependencies, sechDependencies, cschDependencies, cothDependencies,
    powDependencies, addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, unaryMinusDependencies, unaryPlusDependencies,
    piDependencies, eDependencies,
  }, { predictable: true }) as MathJsInstance;
}

export * as textbook from './textbook';
