package org.lfssd.nn;

import java.util.random.RandomGenerator;

/**
 * The former name of {@link TransformerBlock}.
 *
 * @deprecated "Block" reads as "any module" (DJL's meaning); use {@link TransformerBlock}, which is the same
 *     layer with the same parameter names
 */
@Deprecated
public final class Block extends TransformerBlock {

    /**
     * A transformer block.
     *
     * @param dim       token width
     * @param numHeads  attention heads
     * @param mlpHidden hidden width of the MLP
     * @param eps       LayerNorm epsilon
     * @param rng       source of the initial weights
     * @deprecated use {@link TransformerBlock#TransformerBlock(int, int, int, float, RandomGenerator)}
     */
    @Deprecated
    public Block(int dim, int numHeads, int mlpHidden, float eps, RandomGenerator rng) {
        super(dim, numHeads, mlpHidden, eps, rng);
    }
}
