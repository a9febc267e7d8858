/**
 * The zoo: every mutant (one planted bug each) and every correct variant, as adapters.
 * Each is also its own module, usable as `convcheck validate --impl dist/test/mutants/<name>.js`.
 */
import type { Adapter } from '../../src/validate/adapter.js';
import onnxNoFlip from './onnx-no-flip.js';
import onnxSameSwapped from './onnx-same-swapped.js';
import onnxOutputShapeOddAtEnd from './onnx-output-shape-odd-at-end.js';
import onnxDilationIgnored from './onnx-dilation-ignored.js';
import onnxDilationHoles from './onnx-dilation-holes.js';
import onnxGroupOffset from './onnx-group-offset.js';
import onnxPadsInterleaved from './onnx-pads-interleaved.js';
import onnxBatchZero from './onnx-batch-zero.js';
import onnxKernelChannelsReversed from './onnx-kernel-channels-reversed.js';
import onnxHalfAccumulator from './onnx-half-accumulator.js';
import onnxRelativeError from './onnx-relative-error.js';
import onnxTf32Inputs from './onnx-tf32-inputs.js';
import onnxTransposeKernelSwapped from './onnx-transpose-kernel-swapped.js';
import onnxOutputPaddingAtStart from './onnx-output-padding-at-start.js';
import onnxStrideAsDilation from './onnx-stride-as-dilation.js';
import onnxBiasOffByOne from './onnx-bias-off-by-one.js';
import onnxNegativePadsAccepted from './onnx-negative-pads-accepted.js';
import onnxSameIgnoresStride from './onnx-same-ignores-stride.js';
import onnxKernelCache from './onnx-kernel-cache.js';
import tfTransposeCropWrongSide from './tf-transpose-crop-wrong-side.js';
import tfNoFlip from './tf-no-flip.js';
import tfTransposeFiltersSwapped from './tf-transpose-filters-swapped.js';
import tfBatchStrideOffByOne from './tf-batch-stride-off-by-one.js';
import tfNchwOutputNotTransposed from './tf-nchw-output-not-transposed.js';
import tfDepthwiseMultiplierOrder from './tf-depthwise-multiplier-order.js';
import tfOutputShapeUnchecked from './tf-output-shape-unchecked.js';
import tfSameOddAtStart from './tf-same-odd-at-start.js';
import tfRelativeError1e6 from './tf-relative-error-1e-6.js';
import tfDilationHoles from './tf-dilation-holes.js';
import tfGroupOffset from './tf-group-offset.js';
import correctOnnxNatural from './correct-onnx-natural.js';
import correctOnnxReversedBlocks from './correct-onnx-reversed-blocks.js';
import correctOnnxPairwise from './correct-onnx-pairwise.js';
import correctOnnxF64 from './correct-onnx-f64.js';
import correctTfNatural from './correct-tf-natural.js';
import correctTfReversedBlocks from './correct-tf-reversed-blocks.js';
import correctTfPairwise from './correct-tf-pairwise.js';
import correctTfF64 from './correct-tf-f64.js';

export interface Entry {
  readonly file: string;
  readonly adapter: Adapter;
  readonly bug: string;
}

export const MUTANTS: readonly Entry[] = [
  { file: 'onnx-no-flip', adapter: onnxNoFlip, bug: 'ConvTranspose reads the kernel taps unmirrored (missing spatial flip).' },
  { file: 'onnx-same-swapped', adapter: onnxSameSwapped, bug: 'SAME_UPPER and SAME_LOWER exchanged (the odd padding element on the wrong side).' },
  { file: 'onnx-output-shape-odd-at-end', adapter: onnxOutputShapeOddAtEnd, bug: 'ConvTranspose with output_shape: an odd total padding always cropped at the end, whatever auto_pad says (the spec puts it at the start unless SAME_UPPER).' },
  { file: 'onnx-dilation-ignored', adapter: onnxDilationIgnored, bug: 'Dilation used for the output size but ignored in the tap positions.' },
  { file: 'onnx-dilation-holes', adapter: onnxDilationHoles, bug: 'Dilation mis-scaled: d zeros between taps instead of d - 1.' },
  { file: 'onnx-group-offset', adapter: onnxGroupOffset, bug: 'Grouped conv: the input channels of group g start at g × (outputs per group) instead of g × (inputs per group).' },
  { file: 'onnx-pads-interleaved', adapter: onnxPadsInterleaved, bug: 'pads read as [x1_begin, x1_end, x2_begin, x2_end] instead of [x1_begin, x2_begin, x1_end, x2_end].' },
  { file: 'onnx-batch-zero', adapter: onnxBatchZero, bug: 'Every batch item reads batch item 0.' },
  { file: 'onnx-kernel-channels-reversed', adapter: onnxKernelChannelsReversed, bug: "The kernel's input-channel axis read in reverse order." },
  { file: 'onnx-half-accumulator', adapter: onnxHalfAccumulator, bug: 'Partial sums rounded to 11 significant bits (a float16-style accumulator): a small silent precision loss.' },
  { file: 'onnx-relative-error', adapter: onnxRelativeError, bug: 'Every output off by a relative 1e-3 (a silent scale error).' },
  { file: 'onnx-tf32-inputs', adapter: onnxTf32Inputs, bug: "Inputs and kernel rounded to TF32 (11 significant bits) before multiplying, as a GPU's TF32 mode does: silent precision loss." },
  { file: 'onnx-transpose-kernel-swapped', adapter: onnxTransposeKernelSwapped, bug: 'ConvTranspose reads W [C, M/g, K...] as [M/g, C, K...] (in/out axes swapped).' },
  { file: 'onnx-output-padding-at-start', adapter: onnxOutputPaddingAtStart, bug: "ConvTranspose adds output_padding's zeros at the start instead of the end." },
  { file: 'onnx-stride-as-dilation', adapter: onnxStrideAsDilation, bug: 'Tap spacing taken from the stride instead of the dilation.' },
  { file: 'onnx-bias-off-by-one', adapter: onnxBiasOffByOne, bug: 'Output channel m gets the bias of channel m + 1.' },
  { file: 'onnx-negative-pads-accepted', adapter: onnxNegativePadsAccepted, bug: 'Negative pads accepted (applied as crops) where ONNX rejects them.' },
  { file: 'onnx-same-ignores-stride', adapter: onnxSameIgnoresStride, bug: 'SAME_* padding computed as for stride 1 (total k_eff - 1), so strided SAME convs get the wrong size.' },
  { file: 'onnx-kernel-cache', adapter: onnxKernelCache, bug: 'The prepared kernel is cached by its shape: a later kernel of the same shape gets stale values.' },
  { file: 'tf-transpose-crop-wrong-side', adapter: tfTransposeCropWrongSide, bug: 'conv*_transpose with SAME: an odd crop taken at the start instead of the end (output_shape parity).' },
  { file: 'tf-no-flip', adapter: tfNoFlip, bug: 'conv*_transpose reads the filter taps unmirrored (missing spatial flip).' },
  { file: 'tf-transpose-filters-swapped', adapter: tfTransposeFiltersSwapped, bug: 'conv*_transpose reads filters [K..., out, in] as [K..., in, out].' },
  { file: 'tf-batch-stride-off-by-one', adapter: tfBatchStrideOffByOne, bug: 'The batch stride of the input is one element short.' },
  { file: 'tf-nchw-output-not-transposed', adapter: tfNchwOutputNotTransposed, bug: 'data_format NCHW: the result is computed channels-last and returned without transposing back.' },
  { file: 'tf-depthwise-multiplier-order', adapter: tfDepthwiseMultiplierOrder, bug: 'depthwise_conv2d writes output channel j·C + c instead of c·multiplier + j.' },
  { file: 'tf-output-shape-unchecked', adapter: tfOutputShapeUnchecked, bug: 'conv*_transpose accepts an output_shape the forward conv does not map back to the input.' },
  { file: 'tf-same-odd-at-start', adapter: tfSameOddAtStart, bug: 'Forward SAME puts the odd padding element at the start (SAME_LOWER) instead of the end.' },
  { file: 'tf-relative-error-1e-6', adapter: tfRelativeError1e6, bug: 'Every output off by a relative 1e-6 (about 17 ulp; e.g. a scale factor stored with too few bits).' },
  { file: 'tf-dilation-holes', adapter: tfDilationHoles, bug: 'Dilation mis-scaled: d zeros between taps instead of d - 1.' },
  { file: 'tf-group-offset', adapter: tfGroupOffset, bug: 'Grouped conv2d/conv1d: the input channels of group g start at g × (outputs per group).' },
];

export const CORRECT: readonly Entry[] = [
  { file: 'correct-onnx-natural', adapter: correctOnnxNatural, bug: 'none: float32, natural order' },
  { file: 'correct-onnx-reversed-blocks', adapter: correctOnnxReversedBlocks, bug: 'none: float32, reversed order, output channels in blocks of 4 from the last' },
  { file: 'correct-onnx-pairwise', adapter: correctOnnxPairwise, bug: 'none: float32 pairwise summation' },
  { file: 'correct-onnx-f64', adapter: correctOnnxF64, bug: 'none: float64 accumulation, rounded to float32 once' },
  { file: 'correct-tf-natural', adapter: correctTfNatural, bug: 'none: float32, natural order' },
  { file: 'correct-tf-reversed-blocks', adapter: correctTfReversedBlocks, bug: 'none: float32, reversed order, output channels in blocks of 4 from the last' },
  { file: 'correct-tf-pairwise', adapter: correctTfPairwise, bug: 'none: float32 pairwise summation' },
  { file: 'correct-tf-f64', adapter: correctTfF64, bug: 'none: float64 accumulation, rounded to float32 once' },
];
