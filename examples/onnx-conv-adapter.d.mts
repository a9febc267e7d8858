// Types for onnx-conv-adapter.mjs, so that TypeScript projects (strict, with or without allowJs)
// can import it and have it checked as a convcheck Adapter.
import type { Adapter } from 'convcheck';

declare const adapter: Adapter;
export default adapter;
