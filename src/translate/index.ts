/** Translation of a convolution call between the tf, jax, onnx and torch conventions. */
export { NotExpressible } from './errors.js';
export { applyKernelOps, type KernelOp } from './kernel.js';
export { cropOutput, padAxes, padInput, type AxisAmount, type Recipe } from './recipe.js';
export { toPython } from './python.js';
export { applyRecipe, qualified, translate, type TranslateOptions, type Translation, type TranslationPlan } from './translate.js';
export { genericPlan, padsAt, runGeneric, type GenericPlan, type PadRule } from './generic.js';
export { emitFunction } from './python-function.js';
export { emitLayer } from './python-layer.js';
export { fillShapes } from './shape-only.js';
