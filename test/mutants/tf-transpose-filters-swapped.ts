/** Mutant: conv*_transpose reads filters [K..., out, in] as [K..., in, out]. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-transpose-filters-swapped', 'natural', { transposeFiltersSwapped: true });
