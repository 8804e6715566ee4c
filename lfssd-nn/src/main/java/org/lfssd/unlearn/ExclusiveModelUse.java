package org.lfssd.unlearn;

import java.util.IdentityHashMap;
import java.util.Map;
import org.lfssd.nn.Module;

/**
 * Refuses a second importance pass or dampening on a model that another one is still using. Two passes
 * on one model race on its gradients and training flags (wrong importances without any error), and two
 * concurrent {@code forget} calls dampen twice; so the second caller gets an {@link IllegalStateException}
 * instead. Models are tracked by identity, only while in use.
 */
final class ExclusiveModelUse implements AutoCloseable {
    /** Model → what holds it (for the message). Guarded by its own monitor. */
    private static final Map<Module, String> IN_USE = new IdentityHashMap<>();

    private final Module model;

    private ExclusiveModelUse(Module model) {
        this.model = model;
    }

    /**
     * Marks {@code model} as used by {@code operation} on this thread until {@link #close()}.
     *
     * @throws IllegalStateException if another operation is using the model
     */
    static ExclusiveModelUse acquire(Module model, String operation) {
        String holder = operation + " on thread '" + Thread.currentThread().getName() + "'";
        synchronized (IN_USE) {
            String current = IN_USE.putIfAbsent(model, holder);
            if (current != null) {
                throw new IllegalStateException(operation + ": the " + model.getClass().getSimpleName()
                        + " is already in use by " + current + "; one model supports one importance pass or"
                        + " dampening at a time (use a copy of the model per thread)");
            }
        }
        return new ExclusiveModelUse(model);
    }

    @Override
    public void close() {
        synchronized (IN_USE) {
            IN_USE.remove(model);
        }
    }
}
