package org.lfssd.eval;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.lfssd.data.Dataset;
import org.lfssd.data.Shuffle;

/**
 * The three forgetting scenarios of the papers, split as the official code splits them (ALGORITHM.md §8.3).
 * All selections keep the data sets' own order, and D is always retain-train followed by forget-train.
 */
public final class Scenarios {
    private Scenarios() {}

    /**
     * Full-class forgetting: D_f is every training image labelled {@code forgetClass} (a CIFAR-100 class, or a
     * CIFAR-20 superclass when the data sets carry superclass labels); the forget-test set is that class's
     * test images, the retain sets are all other images.
     *
     * @param train       the training set
     * @param test        the test set
     * @param numClasses  the number of classes
     * @param forgetClass the class to forget, in {@code [0, numClasses)}
     * @return the split
     * @throws IllegalArgumentException if {@code forgetClass} is out of range
     */
    public static ForgettingSplit fullClass(Dataset train, Dataset test, int numClasses, int forgetClass) {
        checkClass(forgetClass, numClasses, "class");
        Dataset forgetTrain = train.whereLabel(y -> y == forgetClass);
        Dataset retainTrain = train.whereLabel(y -> y != forgetClass);
        return new ForgettingSplit("full-class " + forgetClass, numClasses, forgetTrain, retainTrain,
                test.whereLabel(y -> y == forgetClass), test.whereLabel(y -> y != forgetClass), test,
                retainTrain.concat(forgetTrain));
    }

    /**
     * Sub-class forgetting (CIFAR-20): D_f is every training image of the fine class {@code forgetFine}, still
     * labelled with its superclass; the forget-test set is that fine class's test images; the retain sets are
     * the images of all other fine classes (including the other members of the same superclass).
     *
     * @param train      training images labelled with their superclass
     * @param trainFine  the fine class of each training image
     * @param test       test images labelled with their superclass
     * @param testFine   the fine class of each test image
     * @param numClasses superclasses (20 for CIFAR-20)
     * @param forgetFine the fine class to forget
     * @return the split
     * @throws IllegalArgumentException if a fine-label array's length differs from its data set or no training
     *         image has fine class {@code forgetFine}
     */
    public static ForgettingSplit subClass(Dataset train, int[] trainFine, Dataset test, int[] testFine, int numClasses,
                                           int forgetFine) {
        if (trainFine.length != train.size() || testFine.length != test.size()) {
            throw new IllegalArgumentException("Scenarios.subClass: " + trainFine.length + "/" + testFine.length
                    + " fine labels for " + train.size() + "/" + test.size() + " train/test images");
        }
        int[] forgetIdx = indices(trainFine, f -> f == forgetFine);
        if (forgetIdx.length == 0) {
            throw new IllegalArgumentException("Scenarios.subClass: no training image has fine class " + forgetFine);
        }
        Dataset forgetTrain = train.select(forgetIdx);
        Dataset retainTrain = train.select(indices(trainFine, f -> f != forgetFine));
        return new ForgettingSplit("sub-class " + forgetFine, numClasses, forgetTrain, retainTrain,
                test.select(indices(testFine, f -> f == forgetFine)), test.select(indices(testFine, f -> f != forgetFine)),
                test, retainTrain.concat(forgetTrain));
    }

    /**
     * The forget-set size of {@code torch.utils.data.random_split(data, [fraction, 1 - fraction])} on {@code n}
     * samples: each share gets {@code floor(n·fraction_i)}, and the samples left over are handed out one at a
     * time to the shares in order, starting with the first (the forget set). For the official 0.00165 on
     * CIFAR-10's 50,000: floor(82.5) = 82, floor(49,917.5) = 49,917, one left over, so 83.
     *
     * @param n        the training-set size
     * @param fraction the forget share, in (0, 1)
     * @return the number of samples to forget
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1)
     */
    public static int randomForgetCount(int n, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("Scenarios.random: fraction must be in (0, 1), got " + fraction);
        }
        // Python computes 1 - fraction in double and floors n·share for each share, as here.
        int forget = (int) Math.floor(n * fraction);
        int retain = (int) Math.floor(n * (1 - fraction));
        int remainder = n - forget - retain;
        // Round-robin over two shares starting with the forget share: it gets ceil(remainder / 2).
        return forget + (remainder + 1) / 2;
    }

    /**
     * Random forgetting: a random {@code fraction} of the training set (the official 0.00165 of CIFAR-10),
     * with the sample count of {@link #randomForgetCount}. As in {@code random_split}, a uniform random
     * permutation of the training indices is drawn and the forget set is its first {@code k} entries in
     * permutation order, the retain set the rest, also in permutation order. The permutation comes from a
     * Fisher–Yates shuffle driven by {@code new SplittableRandom(seed)}, not torch's generator, so the same
     * seed picks different samples than the official code (the distribution is the same).
     *
     * <p>As in the official code, the forget-test set is the forget-train samples and the retain-test set is
     * the full test set.
     *
     * @param train      the training set
     * @param test       the test set
     * @param numClasses the number of classes
     * @param fraction   the forget share, in (0, 1)
     * @param seed       seeds the permutation
     * @return the split
     */
    public static ForgettingSplit random(Dataset train, Dataset test, int numClasses, double fraction, long seed) {
        int n = train.size();
        int k = randomForgetCount(n, fraction);
        int[] perm = Shuffle.permutation(n, new SplittableRandom(seed));
        Dataset forgetTrain = train.select(java.util.Arrays.copyOfRange(perm, 0, k));
        Dataset retainTrain = train.select(java.util.Arrays.copyOfRange(perm, k, n));
        return new ForgettingSplit("random " + fraction + " seed " + seed, numClasses, forgetTrain, retainTrain,
                forgetTrain, test, test, retainTrain.concat(forgetTrain));
    }

    private static int[] indices(int[] labels, java.util.function.IntPredicate keep) {
        return IntStream.range(0, labels.length).filter(i -> keep.test(labels[i])).toArray();
    }

    private static void checkClass(int c, int numClasses, String what) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("Scenarios: " + what + " " + c + " outside [0, " + numClasses + ")");
        }
    }
}
