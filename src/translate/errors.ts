/**
 * The one failure of translation that is a result, not a bug: the target convention has no call
 * (and no exact recipe around a call) that computes the same canonical convolution.
 */
import type { Framework } from '../conventions/index.js';

export class NotExpressible extends Error {
  override readonly name = 'NotExpressible';
  /**
   * @param target the framework asked for
   * @param feature the source feature the target lacks, as the source calls it
   *   (`batch_group_count`, `groups`, `lhs_dilation with window_strides`, …)
   * @param message the whole explanation; it always names `feature`
   */
  constructor(
    readonly target: Framework,
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}
