package org.lfssd.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import org.lfssd.nn.Module;

/**
 * The models loaded in this executor's JVM, kept across tasks so that a checkpoint is loaded once per
 * executor rather than once per task. A model runs one pass at a time, so each concurrently running task
 * borrows its own copy; with {@code spark.task.cpus} equal to {@code spark.executor.cores} there is one task
 * and one copy per executor. Only the most recent job's models are kept.
 */
final class ExecutorModels {
    private static String jobKey;
    private static final Deque<Module> IDLE = new ArrayDeque<>();
    private static int loads;

    private ExecutorModels() {}

    /** An idle model of job {@code key}, or a newly loaded one. */
    static Module borrow(String key, ModelBytes bytes) {
        synchronized (ExecutorModels.class) {
            if (!key.equals(jobKey)) {
                jobKey = key;
                IDLE.clear();
            }
            Module idle = IDLE.poll();
            if (idle != null) {
                return idle;
            }
            loads++;
        }
        return bytes.load();  // outside the lock: loading takes a while, and other tasks may return models meanwhile
    }

    /** Returns a borrowed model for reuse by the next task of the same job. */
    static synchronized void release(String key, Module model) {
        if (key.equals(jobKey)) {
            IDLE.push(model);
        }
    }

    /** How many models this JVM has loaded (tests check that tasks reuse them). */
    static synchronized int loads() {
        return loads;
    }
}
