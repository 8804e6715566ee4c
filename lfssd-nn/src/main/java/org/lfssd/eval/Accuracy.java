package org.lfssd.eval;

import java.util.function.IntPredicate;

/**
 * Classification accuracy, per class and overall, counted from {@link Logits} (the predicted class is the
 * first largest logit).
 *
 * @param correct per class, the number of correctly classified samples
 * @param total   per class, the number of samples
 */
public record Accuracy(long[] correct, long[] total) {

    /**
     * Counts {@code logits} against their labels; labels must be in {@code [0, logits.classes())}.
     *
     * @param logits the logits with their labels
     * @return the per-class correct and total counts
     * @throws IllegalArgumentException if a label is outside {@code [0, logits.classes())}
     */
    public static Accuracy of(Logits logits) {
        long[] correct = new long[logits.classes()];
        long[] total = new long[logits.classes()];
        int[] y = logits.labels();
        for (int i = 0; i < logits.n(); i++) {
            if (y[i] < 0 || y[i] >= logits.classes()) {
                throw new IllegalArgumentException("Accuracy: label " + y[i] + " of sample " + i + " outside [0, "
                        + logits.classes() + ")");
            }
            total[y[i]]++;
            if (logits.argmax(i) == y[i]) {
                correct[y[i]]++;
            }
        }
        return new Accuracy(correct, total);
    }

    /**
     * Sample-weighted accuracy in [0, 1] over all samples; NaN when there are none.
     *
     * @return the fraction of all samples predicted correctly, or NaN
     */
    public double overall() {
        return over(c -> true);
    }

    /**
     * Sample-weighted accuracy in [0, 1] over the classes for which {@code include} holds; NaN if they have no samples.
     *
     * @param include selects classes by label
     * @return the fraction of the selected classes' samples predicted correctly, or NaN
     */
    public double over(IntPredicate include) {
        long c = 0;
        long t = 0;
        for (int k = 0; k < total.length; k++) {
            if (include.test(k)) {
                c += correct[k];
                t += total[k];
            }
        }
        return t == 0 ? Double.NaN : c / (double) t;
    }

    /**
     * Accuracy in [0, 1] on class {@code k}; NaN if it has no samples.
     *
     * @param k the class label
     * @return the fraction of class {@code k}'s samples predicted correctly, or NaN
     */
    public double ofClass(int k) {
        return over(c -> c == k);
    }

    /**
     * The official {@code evaluate()} figure (ALGORITHM.md §8.4), in [0, 1] rather than percent: the samples
     * cut into consecutive batches of {@code batchSize} in their order, the accuracy of each batch, then the
     * unweighted mean over batches. Equal to the sample-weighted accuracy when every batch is full.
     *
     * @param logits    the logits with their labels, in data-set order
     * @param batchSize the official evaluation batch size (the papers: 64)
     * @return the mean of the per-batch accuracies, or NaN when there are no samples
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public static double officialBatchMean(Logits logits, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Accuracy.officialBatchMean: batch size must be >= 1, got " + batchSize);
        }
        if (logits.n() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        int batches = 0;
        for (int start = 0; start < logits.n(); start += batchSize) {
            int end = Math.min(logits.n(), start + batchSize);
            int correct = 0;
            for (int i = start; i < end; i++) {
                if (logits.argmax(i) == logits.labels()[i]) {
                    correct++;
                }
            }
            sum += correct / (double) (end - start);
            batches++;
        }
        return sum / batches;
    }

    /**
     * The accuracy of {@code logits} in [0, 1] under {@code mode} (batch size 64 for the official mean).
     *
     * @param logits the logits with their labels
     * @param mode   sample-weighted or the official per-batch mean
     * @return the accuracy, or NaN when there are no samples
     */
    public static double of(Logits logits, AccuracyMode mode) {
        return mode == AccuracyMode.OFFICIAL_BATCH_MEAN ? officialBatchMean(logits, 64) : of(logits).overall();
    }
}
