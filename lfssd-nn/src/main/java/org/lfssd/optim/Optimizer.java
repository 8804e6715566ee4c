package org.lfssd.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;

/**
 * Updates a fixed list of parameters from their accumulated gradients ({@code torch.optim.Optimizer}).
 * Parameters whose gradient is null (never reached by backward) are skipped, as in PyTorch.
 */
public abstract class Optimizer {
    /** Elements per parallel task of an update; element-wise work, so any cut gives identical results. */
    protected static final int GRAIN = 1 << 15;

    private final List<Var> params;
    private double lr;

    /**
     * An optimiser over {@code params} with learning rate {@code lr}.
     *
     * @param params the parameters to update (copied into a list)
     * @param lr     the learning rate
     */
    protected Optimizer(Collection<Var> params, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be finite and >= 0, got " + lr);
        }
        List<Var> list = new ArrayList<>(params);
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var p : list) {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": can only optimise leaf parameters, got " + p);
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter appears twice: " + p);
            }
        }
        this.params = Collections.unmodifiableList(list);
        this.lr = lr;
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    /** Forgets all gradients (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        params.forEach(Var::clearGrad);
    }

    /** {@return the parameters, in the given order} */
    public List<Var> params() {
        return params;
    }

    /** {@return the current learning rate} */
    public double lr() {
        return lr;
    }

    /**
     * Sets the learning rate used by the next {@link #step()} (what an LR scheduler does).
     *
     * @param lr the new rate
     */
    public void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setLr: learning rate must be finite and >= 0, got " + lr);
        }
        this.lr = lr;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in fixed-size blocks (see {@link #GRAIN}).
     *
     * @param n    the element count
     * @param body the work for one block {@code [from, to)}
     */
    protected static void forElements(int n, Parallel.RangeBody body) {
        Parallel.forRange(n, GRAIN, body);
    }
}
