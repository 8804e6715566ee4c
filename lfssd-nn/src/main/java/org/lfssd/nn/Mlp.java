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
        // Registered for timm's module tree; forward fuses the GELU into fc1 (see forward).
        registerModule("act", new GELU());
        this.fc2 = registerModule("fc2", new Linear(hiddenFeatures, inFeatures, true, rng));
    }

    /**
     * {@code fc2(gelu(fc1(x)))} with fc1 and the GELU as one op ({@link F#linearGelu}: the bias and GELU
     * run in fc1's product epilogue); the same values as applying fc1, the registered {@code act} and fc2
     * one after the other. Not {@link F#mlp}, which lowers the peak live heap but recomputes the GELU
     * output in backward and measured slower (lfssd-bench/results/vit-importance-2026-12-01b.md).
     */
    @Override
    public Var forward(Var x) {
        Var hidden;
        try {
            hidden = F.linearGelu(x, fc1.weight(), fc1.bias());
        } catch (IllegalArgumentException e) {
            throw located(e, "(in fc1)");
        }
        return fc2.forward(hidden);
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
