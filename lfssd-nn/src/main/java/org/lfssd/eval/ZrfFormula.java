package org.lfssd.eval;

/** Which divergence ZRF subtracts from 1. */
public enum ZrfFormula {
    /**
     * The Jensen–Shannon divergence {@code ½·KL(p‖m) + ½·KL(q‖m)}, {@code m = (p + q)/2}, of each sample's two
     * distributions (summed over classes, natural log, so in [0, ln 2]), averaged over samples. ZRF is then in
     * [1 − ln 2, 1]. The default.
     */
    JENSEN_SHANNON,
    /**
     * The official code, {@code 1 − JSDiv(p, q)} with {@code JSDiv = 0.5·F.kl_div(log p, m) + 0.5·F.kl_div(log q, m)}
     * (ALGORITHM.md §8.4). Two quirks: {@code F.kl_div(log p, m)} is KL(m‖p), the reverse of the JS terms, which
     * is unbounded (so the score can fall below 1 − ln 2, even below 0); and its default {@code reduction="mean"}
     * averages over all N·C elements, dividing by the number of classes.
     */
    OFFICIAL_CODE
}
