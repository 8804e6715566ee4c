package org.lfssd.eval;

import java.util.Objects;
import org.lfssd.data.Dataset;

/**
 * One forgetting request split the way the official code splits it (ALGORITHM.md §8.3), as the data sets
 * every method and metric needs. Build one with {@link Scenarios}.
 *
 * <p>Which set each metric uses (§8.4):
 * <ul>
 *   <li>{@link #forgetTest()}: the "Df" accuracy (the forgotten class's test images; for random forgetting,
 *       the forget-train samples themselves), ZRF and activation distance use {@link #forgetTrain()};</li>
 *   <li>{@link #retainTest()}: the "Dr" accuracy (the other classes' test images; for random forgetting, the
 *       full test set);</li>
 *   <li>{@link #test()}: the overall test accuracy, and the non-member side of the MIA;</li>
 *   <li>{@link #retainTrain()}: the member side of the MIA, and what retrain and finetune train on;</li>
 *   <li>{@link #full()}: D for Ω_D, in the official order — retain-train, then forget-train.</li>
 * </ul>
 *
 * @param description  e.g. {@code "full-class 3"}; used in result tables
 * @param numClasses   logits of the model (labels are in {@code [0, numClasses)})
 * @param forgetTrain  D_f
 * @param retainTrain  D_r = D \ D_f
 * @param forgetTest   the test images that stand for D_f
 * @param retainTest   the test images that stand for D_r
 * @param test         the full test set
 * @param full         D = retain-train followed by forget-train
 */
public record ForgettingSplit(String description, int numClasses, Dataset forgetTrain, Dataset retainTrain,
                              Dataset forgetTest, Dataset retainTest, Dataset test, Dataset full) {

    /**
     * Checks that nothing is missing, that D is as large as its parts and that the sets are non-empty.
     *
     * @param description  e.g. {@code "full-class 3"}; used in result tables
     * @param numClasses   logits of the model (labels are in {@code [0, numClasses)})
     * @param forgetTrain  D_f
     * @param retainTrain  D_r = D \ D_f
     * @param forgetTest   the test images that stand for D_f
     * @param retainTest   the test images that stand for D_r
     * @param test         the full test set
     * @param full         D = retain-train followed by forget-train
     */
    public ForgettingSplit {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(forgetTrain, "forgetTrain");
        Objects.requireNonNull(retainTrain, "retainTrain");
        Objects.requireNonNull(forgetTest, "forgetTest");
        Objects.requireNonNull(retainTest, "retainTest");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(full, "full");
        if (numClasses < 2) {
            throw new IllegalArgumentException("ForgettingSplit: need at least 2 classes, got " + numClasses);
        }
        if (forgetTrain.size() == 0 || retainTrain.size() == 0) {
            throw new IllegalArgumentException("ForgettingSplit " + description + ": empty forget (" + forgetTrain.size()
                    + ") or retain (" + retainTrain.size() + ") training set");
        }
        if (full.size() != forgetTrain.size() + retainTrain.size()) {
            throw new IllegalArgumentException("ForgettingSplit " + description + ": D has " + full.size()
                    + " samples, but retain + forget = " + (retainTrain.size() + forgetTrain.size()));
        }
    }

    /**
     * |D_f| / |D|, the share φ of the training set to forget.
     *
     * @return the forget fraction in [0, 1]
     */
    public double forgetFraction() {
        return forgetTrain.size() / (double) full.size();
    }
}
