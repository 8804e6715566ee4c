package org.lfssd.optim;

/** A learning rate as a function of the optimisation step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate of a step.
     *
     * @param step the 0-based optimisation step
     * @return the rate
     */
    double lr(long step);

    /**
     * Sets {@code optimizer}'s learning rate for {@code step}.
     *
     * @param optimizer the optimiser to update
     * @param step      the 0-based optimisation step
     */
    default void apply(Optimizer optimizer, long step) {
        optimizer.setLr(lr(step));
    }
}
