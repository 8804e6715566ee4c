package org.lfssd.eval;

/**
 * One row of an experiment: one method on one forgetting request with one seed. Accuracies are in [0, 1]
 * under the experiment's {@link AccuracyMode}; NaN marks a figure that does not apply.
 *
 * @param scenario                     the split's description, e.g. {@code "full-class 3"}
 * @param method                       the method's name
 * @param seed                         the run's seed
 * @param testAccuracy                 on the full test set
 * @param retainTestAccuracy           on the retain-test set ("Dr")
 * @param forgetTestAccuracy           on the forget-test set ("Df")
 * @param retainTrainAccuracy          on D_r
 * @param forgetTrainAccuracy          on D_f
 * @param mia                          the fraction of D_f the membership-inference attack calls member
 * @param zrf                          1 − JS to the unlearning teacher on D_f
 * @param activationDistanceToOriginal mean softmax L2 distance to the original model on D_f
 * @param activationDistanceToRetrain  the same to the from-scratch retrained model of this seed, NaN if none ran
 * @param seconds                      the method's wall time for this request
 * @param omegaDSeconds                the one-off Ω_D time of a dampening method (reused across requests), else NaN
 * @param details                      the method's own account (α used, weights dampened, losses)
 */
public record ExperimentResult(String scenario, String method, long seed, double testAccuracy, double retainTestAccuracy,
                               double forgetTestAccuracy, double retainTrainAccuracy, double forgetTrainAccuracy,
                               double mia, double zrf, double activationDistanceToOriginal,
                               double activationDistanceToRetrain, double seconds, double omegaDSeconds, String details) {

    /** The column names of {@link ResultTable#toCsv()}, in record order. */
    public static final java.util.List<String> COLUMNS = java.util.List.of("scenario", "method", "seed", "test_acc",
            "retain_test_acc", "forget_test_acc", "retain_train_acc", "forget_train_acc", "mia", "zrf",
            "act_dist_original", "act_dist_retrain", "seconds", "omega_d_seconds", "details");

    /**
     * This row with the distance to the retrained model filled in.
     *
     * @param d the activation distance to the retrained model
     * @return a copy of this row with {@code activationDistanceToRetrain = d}
     */
    public ExperimentResult withActivationDistanceToRetrain(double d) {
        return new ExperimentResult(scenario, method, seed, testAccuracy, retainTestAccuracy, forgetTestAccuracy,
                retainTrainAccuracy, forgetTrainAccuracy, mia, zrf, activationDistanceToOriginal, d, seconds, omegaDSeconds,
                details);
    }
}
