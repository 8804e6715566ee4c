package org.lfssd.unlearn;

/**
 * Receives progress of long importance passes, e.g. to print a progress line. Called on the thread that
 * runs the pass, after each batch.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param phase a short human-readable name of the pass ("importance", "forget-set importance")
     * @param done  batches finished so far
     * @param total batches in the pass, or -1 when the batch source does not know its size
     */
    void onProgress(String phase, long done, long total);

    /** A listener that ignores everything. */
    ProgressListener NONE = (phase, done, total) -> { };
}
