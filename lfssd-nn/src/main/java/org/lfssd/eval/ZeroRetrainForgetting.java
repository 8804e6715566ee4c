package org.lfssd.eval;

/**
 * The ZRF score (ALGORITHM.md §8.4): {@code 1 − JS(p, q)} between the unlearned model's softmax {@code p}
 * and an "unlearning teacher's" softmax {@code q} on the forget data, natural log, in the form chosen by
 * {@link ZrfFormula} (the true Jensen–Shannon divergence by default, or the official code's formula). 1
 * means the model answers like the teacher (a randomly initialised model of the same architecture), i.e. as
 * if it never saw the data. Computed in double precision from log-softmax, so it stays finite where a float
 * softmax underflows to 0.
 */
public final class ZeroRetrainForgetting {
    private ZeroRetrainForgetting() {}

    /**
     * The ZRF score of {@code model} against {@code teacher} (same samples, same classes).
     *
     * @param model   the unlearned model's logits on the forget data
     * @param teacher the teacher's logits on the same samples
     * @param formula the divergence formula
     * @return {@code 1 −} the mean divergence over samples (for {@link ZrfFormula#OFFICIAL_CODE} also divided by the class count)
     * @throws IllegalArgumentException if the shapes differ or there are no samples
     */
    public static double score(Logits model, Logits teacher, ZrfFormula formula) {
        if (model.n() != teacher.n() || model.classes() != teacher.classes() || model.n() == 0) {
            throw new IllegalArgumentException("ZRF: model logits [" + model.n() + ", " + model.classes()
                    + "] vs teacher logits [" + teacher.n() + ", " + teacher.classes() + "]");
        }
        double total = 0;
        for (int i = 0; i < model.n(); i++) {
            double[] lp = model.logSoftmax(i);
            double[] lq = teacher.logSoftmax(i);
            double js = 0;
            for (int c = 0; c < lp.length; c++) {
                double p = Math.exp(lp[c]);
                double q = Math.exp(lq[c]);
                double m = 0.5 * (p + q);
                if (m > 0) {
                    double lm = Math.log(m);
                    if (formula == ZrfFormula.JENSEN_SHANNON) {
                        // p·(log p − log m); a p that underflowed to 0 contributes 0 (its limit).
                        js += 0.5 * (p > 0 ? p * (lp[c] - lm) : 0) + 0.5 * (q > 0 ? q * (lq[c] - lm) : 0);
                    } else {
                        js += 0.5 * m * (lm - lp[c]) + 0.5 * m * (lm - lq[c]);
                    }
                }
            }
            total += js;
        }
        double meanJs = total / model.n();
        if (formula == ZrfFormula.OFFICIAL_CODE) {
            meanJs /= model.classes();
        }
        return 1 - meanJs;
    }
}
