package org.lfssd.kernels;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The tasks of one parallel operation, handed out but not run yet: {@code body.accept(t)} for every
 * {@code t < count}, in any order and on any threads, has the operation's effect. Independent operations
 * (a convolution's input and weight gradients, say) can then share one job of the pool
 * ({@link Parallel#forEach(TaskList...)}): a thread that finishes one operation's tasks helps with the
 * other's instead of waiting at the end of its own job for the last task of a few long ones.
 *
 * <p>Tasks own their outputs, as everywhere in {@link Parallel}, so running them together or apart, on
 * any number of threads, gives the same bits.
 *
 * @param count the number of tasks, {@code >= 0}
 * @param body  the work of one task
 */
public record TaskList(int count, IntConsumer body) {
    /** No work. */
    public static final TaskList NONE = new TaskList(0, t -> { });

    /**
     * Checks the count and the body.
     *
     * @param count the number of tasks, {@code >= 0}
     * @param body  the work of one task
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public TaskList {
        if (count < 0) {
            throw new IllegalArgumentException("a task list needs a count >= 0, got " + count);
        }
        Objects.requireNonNull(body, "body");
    }
}
