package org.lfssd.autograd;

import org.lfssd.tensor.Tensor;

/**
 * The hand-written backward of one op: given the gradient of the loss with respect to the op's output,
 * return the gradients with respect to each input, in input order. An entry may be {@code null} when
 * that input does not require a gradient (see {@link Var#requiresGrad()}); the engine never reads it.
 * Returned tensors may be shared or aliased: the engine copies before it accumulates into them.
 * {@code gradOutput} itself may be shared with other nodes and must not be modified.
 */
@FunctionalInterface
public interface BackwardFn {
    /**
     * Computes the inputs' gradients.
     *
     * @param gradOutput the gradient with respect to the op's output (do not modify)
     * @return one gradient per input, in input order; null where an input needs none
     */
    Tensor[] apply(Tensor gradOutput);
}
