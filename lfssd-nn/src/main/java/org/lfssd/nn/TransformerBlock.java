package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/**
 * A pre-norm transformer block: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}
 * (timm's member names {@code norm1}, {@code attn}, {@code norm2}, {@code mlp}; timm calls the class
 * {@code Block}, a word that means "any module" to readers coming from DJL).
 *
 * <p>Sealed only while the deprecated {@link Block} still extends it.
 */
@SuppressWarnings("deprecation")
public sealed class TransformerBlock extends Module permits Block {
    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final Mlp mlp;

    /**
     * A transformer block.
     *
     * @param dim       token width
     * @param numHeads  attention heads
     * @param mlpHidden hidden width of the MLP
     * @param eps       LayerNorm epsilon
     * @param rng       source of the initial weights
     */
    public TransformerBlock(int dim, int numHeads, int mlpHidden, float eps, RandomGenerator rng) {
        this.norm1 = registerModule("norm1", new LayerNorm(dim, eps));
        this.attn = registerModule("attn", new Attention(dim, numHeads, true, rng));
        this.norm2 = registerModule("norm2", new LayerNorm(dim, eps));
        this.mlp = registerModule("mlp", new Mlp(dim, mlpHidden, rng));
    }

    @Override
    public final Var forward(Var x) {
        Var h = F.add(x, attn.forward(norm1.forward(x)));
        return F.add(h, mlp.forward(norm2.forward(h)));
    }

    /** {@return the attention sub-layer} */
    public final Attention attn() {
        return attn;
    }

    /** {@return the MLP sub-layer} */
    public final Mlp mlp() {
        return mlp;
    }
}
