package org.lfssd.eval;

import java.util.random.RandomGenerator;
import org.lfssd.nn.Module;

/**
 * Builds a freshly initialised model of the architecture under evaluation, e.g.
 * {@code rng -> new ResNet18(100, rng)}. Used for copies of the original model (then overwritten with its
 * weights), for retraining from scratch, for the head-only reset and for the ZRF "unlearning teacher".
 */
@FunctionalInterface
public interface ModelFactory {
    /**
     * A new model initialised from {@code rng}.
     *
     * @param rng the source of the initial weights
     * @return the new model
     */
    Module create(RandomGenerator rng);
}
