package org.lfssd.eval;

/**
 * The official membership-inference attack (ALGORITHM.md §8.4, {@code get_membership_attack_prob}):
 * <ol>
 *   <li>each sample's feature is the entropy {@code −Σ p_c log p_c} of the model's softmax (terms with
 *       {@code p_c = 0} count as 0);</li>
 *   <li>a {@link BalancedLogisticRegression} (C = 1) is fitted with retain-<em>train</em> samples as members
 *       (1) and the full <em>test</em> set as non-members (0);</li>
 *   <li>the result is the fraction of forget-<em>train</em> samples it predicts "member", in [0, 1].</li>
 * </ol>
 * A well-forgotten D_f looks like unseen data: its MIA approaches the retrained model's.
 */
public final class MembershipInference {
    private MembershipInference() {}

    /** The official regularisation strength (sklearn's default C). */
    public static final double C = 1.0;

    /**
     * The result of one attack.
     *
     * @param memberFraction the fraction of forget samples predicted member (the MIA figure)
     * @param classifier     the fitted attack classifier
     */
    public record Result(double memberFraction, BalancedLogisticRegression classifier) {}

    /**
     * The softmax entropy (natural log) of every sample of {@code logits}, in double precision.
     *
     * @param logits the logits
     * @return a new array with one entropy in nats per sample
     */
    public static double[] entropies(Logits logits) {
        double[] h = new double[logits.n()];
        for (int i = 0; i < logits.n(); i++) {
            double[] logP = logits.logSoftmax(i);
            double s = 0;
            for (double lp : logP) {
                double p = Math.exp(lp);
                if (p > 0) {
                    s -= p * lp;
                }
            }
            h[i] = s;
        }
        return h;
    }

    /**
     * Runs the attack on the model's logits on retain-train, the full test set and forget-train.
     *
     * @param retainTrain the logits on the retain-train set (members)
     * @param test        the logits on the full test set (non-members)
     * @param forgetTrain the logits on the forget-train set (the samples to classify)
     * @return the member fraction of the forget samples and the fitted classifier
     */
    public static Result attack(Logits retainTrain, Logits test, Logits forgetTrain) {
        return attack(entropies(retainTrain), entropies(test), entropies(forgetTrain));
    }

    /**
     * Runs the attack on precomputed entropies (members, non-members, and the samples to classify).
     *
     * @param memberEntropies    the entropies of known members (label 1)
     * @param nonMemberEntropies the entropies of known non-members (label 0)
     * @param forgetEntropies    the entropies of the samples to classify
     * @return the member fraction of the forget samples and the fitted classifier
     * @throws IllegalArgumentException if there are no forget samples or the classifier cannot be fitted
     */
    public static Result attack(double[] memberEntropies, double[] nonMemberEntropies, double[] forgetEntropies) {
        int n = memberEntropies.length + nonMemberEntropies.length;
        double[] x = new double[n];
        int[] y = new int[n];
        System.arraycopy(memberEntropies, 0, x, 0, memberEntropies.length);
        System.arraycopy(nonMemberEntropies, 0, x, memberEntropies.length, nonMemberEntropies.length);
        java.util.Arrays.fill(y, 0, memberEntropies.length, 1);
        BalancedLogisticRegression clf = BalancedLogisticRegression.fit(x, y, C);
        if (forgetEntropies.length == 0) {
            throw new IllegalArgumentException("MembershipInference: no forget samples to classify");
        }
        long members = 0;
        for (double h : forgetEntropies) {
            members += clf.predict(h);
        }
        return new Result(members / (double) forgetEntropies.length, clf);
    }
}
