package org.lfssd.optim;

/** A learning rate as a function of the optimisation step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    /** Sets {@code optimizer}'s learning rate for {@code step}. */
    default void apply(Optimizer optimizer, long step) {
        optimizer.setLr(lr(step));
    }
}
