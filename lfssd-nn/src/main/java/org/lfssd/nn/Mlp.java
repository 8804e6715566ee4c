package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** The transformer MLP with timm's names: {@code fc1}, exact GELU {@code act}, {@code fc2}. */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;

    /**
     * The MLP {@code fc2(gelu(fc1(x)))}.
     *
     * @param inFeatures     input and output width
     * @param hiddenFeatures hidden width
     * @param rng            source of the initial weights
     */
    public Mlp(int inFeatures, int hiddenFeatures, RandomGenerator rng) {
        this.fc1 = registerModule("fc1", new Linear(inFeatures, hiddenFeatures, true, rng));
        // Registered for timm's module tree; forward fuses fc1, the GELU and fc2 (see forward).
        registerModule("act", new GELU());
        this.fc2 = registerModule("fc2", new Linear(hiddenFeatures, inFeatures, true, rng));
    }

    /**
     * {@code fc2(gelu(fc1(x)))} as one op ({@link F#mlp}): fc1's bias and GELU run in its product's
     * epilogue, and the GELU output is recomputed in backward instead of being kept; the same values as
     * applying fc1, the registered {@code act} and fc2 one after the other.
     */
    @Override
    public Var forward(Var x) {
        try {
            return F.mlp(x, fc1.weight(), fc1.bias(), fc2.weight(), fc2.bias());
        } catch (IllegalArgumentException e) {
            throw located(e, null);
        }
    }

    /** {@return the first linear layer} */
    public Linear fc1() {
        return fc1;
    }

    /** {@return the second linear layer} */
    public Linear fc2() {
        return fc2;
    }
}
