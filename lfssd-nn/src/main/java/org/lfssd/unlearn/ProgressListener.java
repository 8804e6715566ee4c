package org.lfssd.unlearn;

/**
 * Receives progress of long passes over a data set (importance passes, evaluations), e.g. to log or
 * print a progress line. Every method is called on the thread that runs the pass.
 *
 * <p>A pass calls {@link #onStart} once, then {@link #onProgress(String, long, long, long)} after each
 * batch, then {@link #onFinish} once if it completed. Only the three-argument
 * {@link #onProgress(String, long, long)} must be implemented, so a lambda is a listener:
 * <pre>{@code
 * Unlearner.lfssd().progress((phase, done, total) -> System.err.printf("%s %d/%d%n", phase, done, total))
 * }</pre>
 *
 * <p>{@link Unlearner} uses {@link #logging()} unless told otherwise: passes longer than a few seconds log
 * a line at INFO every five seconds (batches done, images/s, ETA) on the logger
 * {@code org.lfssd.unlearn.LoggingProgressListener}. Pass {@link #NONE} to keep passes silent.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Called after each batch.
     *
     * @param phase a short human-readable name of the pass ("importance", "forget-set importance")
     * @param done  batches finished so far
     * @param total batches in the pass, or -1 when the batch source does not know its size
     */
    void onProgress(String phase, long done, long total);

    /**
     * Called after each batch with the number of images seen so far as well; by default it forwards to
     * {@link #onProgress(String, long, long)}.
     *
     * @param phase       the pass's name, as in {@link #onStart}
     * @param done        batches finished so far
     * @param total       batches in the pass, or -1 when unknown
     * @param samplesDone images (samples) processed so far
     */
    default void onProgress(String phase, long done, long total, long samplesDone) {
        onProgress(phase, done, total);
    }

    /**
     * Called once before the first batch of a pass; does nothing by default.
     *
     * @param phase the pass's name
     * @param total batches in the pass, or -1 when unknown
     */
    default void onStart(String phase, long total) { }

    /**
     * Called once after the last batch of a pass that completed; does nothing by default.
     *
     * @param phase   the pass's name
     * @param batches batches processed
     * @param samples images processed
     * @param nanos   wall time of the pass in nanoseconds
     */
    default void onFinish(String phase, long batches, long samples, long nanos) { }

    /** A listener that ignores everything. */
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * The default listener: logs at INFO every five seconds once a pass has run that long, and a closing
     * line for such passes (see {@link LoggingProgressListener}).
     *
     * @return a new logging listener with a five-second interval
     */
    static ProgressListener logging() {
        return new LoggingProgressListener(java.time.Duration.ofSeconds(5));
    }
}
