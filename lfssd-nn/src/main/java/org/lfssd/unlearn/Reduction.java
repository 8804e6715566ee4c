package org.lfssd.unlearn;

/** How per-batch or per-sample gradients are combined into one importance per parameter. */
public enum Reduction {
    /**
     * The per-batch mean of the authors' reference implementation ("reference" names that code, not a ground
     * truth): for each batch take the gradient of the batch-mean loss, accumulate its absolute
     * value (LFSSD) or square (SSD), and divide the total by the number of batches. The result therefore
     * depends on the batch size and on which samples share a batch, and a short last batch weighs as much
     * as a full one. This is the default, because it is what published results were computed with.
     */
    REFERENCE,

    /**
     * The textbook quantity: the mean over samples of each sample's own |gradient| (LFSSD, exactly Memory
     * Aware Synapses) or squared gradient (SSD, exactly the empirical Fisher diagonal). Independent of how
     * the data is batched. Computed with one backward pass per sample, so it costs more.
     */
    PER_SAMPLE
}
