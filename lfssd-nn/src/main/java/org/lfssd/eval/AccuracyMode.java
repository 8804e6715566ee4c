package org.lfssd.eval;

/** How an accuracy over a data set is averaged. */
public enum AccuracyMode {
    /** Correct samples / all samples. The default: it does not depend on the batch size. */
    SAMPLE_WEIGHTED,
    /**
     * The official {@code evaluate()}: the mean over batches of each batch's accuracy (ALGORITHM.md §8.4),
     * which over-weights a short last batch. The official batch size is 64.
     */
    OFFICIAL_BATCH_MEAN
}
