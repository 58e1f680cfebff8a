/**
 * The Lezer grammars for Python and JavaScript/TypeScript. Bundled as their
 * own file (dist/grammars.js) and required on first use, so activating the
 * extension does not pay for them.
 */
export { parser as pythonParser } from '@lezer/python';
export { parser as javascriptParser } from '@lezer/javascript';
export { TreeFragment } from '@lezer/common';
