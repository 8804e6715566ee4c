package org.lfssd.eval;

/** How the Jensen–Shannon divergence inside ZRF is averaged. */
public enum ZrfReduction {
    /** JS of each sample's two distributions (summed over classes), averaged over samples. The default. */
    PER_SAMPLE,
    /**
     * The official code: {@code F.kl_div}'s default {@code reduction="mean"} averages over all N·C elements,
     * so the JS is the per-sample one divided by the number of classes and ZRF sits close to 1.
     */
    OFFICIAL_ELEMENT_MEAN
}
