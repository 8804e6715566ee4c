package org.lfssd.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * Multi-head self-attention with timm's layout: one fused {@code qkv} Linear ({@code dim -> 3·dim}),
 * scaled dot-product attention per head, and an output {@code proj} Linear. Input and output are
 * {@code [B, N, dim]}.
 */
public final class Attention extends Module {
    private final int dim;
    private final int numHeads;
    private final int headDim;
    private final Linear qkv;
    private final Linear proj;

    /**
     * Multi-head self-attention.
     *
     * @param dim      token width, divisible by {@code numHeads}
     * @param numHeads attention heads
     * @param qkvBias  whether {@code qkv} has a bias
     * @param rng      source of the initial weights
     */
    public Attention(int dim, int numHeads, boolean qkvBias, RandomGenerator rng) {
        if (numHeads <= 0 || dim <= 0 || dim % numHeads != 0) {
            throw new IllegalArgumentException("Attention: dim " + dim + " must be a positive multiple of numHeads " + numHeads);
        }
        this.dim = dim;
        this.numHeads = numHeads;
        this.headDim = dim / numHeads;
        this.qkv = registerModule("qkv", new Linear(dim, 3 * dim, qkvBias, rng));
        this.proj = registerModule("proj", new Linear(dim, dim, true, rng));
    }

    @Override
    public Var forward(Var x) {
        if (x.dim() != 3 || x.size(2) != dim) {
            throw new IllegalArgumentException("Attention: expected [B, N, " + dim + "], got " + Arrays.toString(x.shape()));
        }
        // The packed [B,N,3C] qkv goes to attention as it is: the op reads each head in place and
        // writes [B,N,H,d] = [B,N,C], so no permuted q/k/v copies and no transpose of the result.
        Var merged = F.multiHeadSelfAttention(qkv.forward(x), numHeads);
        return proj.forward(merged);
    }

    /** {@return the joint query/key/value projection} */
    public Linear qkv() {
        return qkv;
    }

    /** {@return the output projection} */
    public Linear proj() {
        return proj;
    }

    /** {@return the number of heads} */
    public int numHeads() {
        return numHeads;
    }
}
