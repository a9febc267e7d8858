/** The package root, for the oracle modules: the one in src/root.ts. */
export { packageRoot } from '../src/root.js';
