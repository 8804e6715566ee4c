package org.lfssd.nn;

import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;

/** Flattens dimensions {@code startDim..} into one ({@code nn.Flatten}, default {@code startDim = 1}). */
public final class Flatten extends Module {
    private final int startDim;

    /**
     * Flattens dimensions {@code startDim..} into one.
     *
     * @param startDim the first dimension to flatten
     */
    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    /** Flattens everything but the batch dimension ({@code startDim = 1}). */
    public Flatten() {
        this(1);
    }

    @Override
    public Var forward(Var x) {
        return F.flatten(x, startDim);
    }
}
