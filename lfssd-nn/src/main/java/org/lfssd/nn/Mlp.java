package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;

/** The transformer MLP with timm's names: {@code fc1}, exact GELU {@code act}, {@code fc2}. */
public final class Mlp extends Module {
    private final Linear fc1;
    private final GELU act;
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
        this.act = registerModule("act", new GELU());
        this.fc2 = registerModule("fc2", new Linear(hiddenFeatures, inFeatures, true, rng));
    }

    @Override
    public Var forward(Var x) {
        return fc2.forward(act.forward(fc1.forward(x)));
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
