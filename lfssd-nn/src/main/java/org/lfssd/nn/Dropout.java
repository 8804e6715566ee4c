package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** Inverted dropout with probability {@code p} in training mode, the identity in eval mode. */
public final class Dropout extends Module {
    private final float p;
    private final RandomGenerator rng;

    /**
     * Dropout that zeroes each element with probability {@code p} in training mode.
     *
     * @param p   the drop probability in [0, 1)
     * @param rng the source of the dropout masks; draws advance it, so a fixed seed gives fixed masks
     */
    public Dropout(float p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Var forward(Var x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        return F.dropout(x, p, true, rng);
    }

    /** {@return the drop probability} */
    public float p() {
        return p;
    }
}
