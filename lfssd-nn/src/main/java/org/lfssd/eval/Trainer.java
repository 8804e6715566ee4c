package org.lfssd.eval;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.lfssd.data.Batch;
import org.lfssd.data.Dataset;
import org.lfssd.data.Shuffle;
import org.lfssd.nn.Module;
import org.lfssd.optim.MultiStepSchedule;
import org.lfssd.optim.SGD;
import org.lfssd.optim.SgdOptions;
import org.lfssd.optim.TrainStep;
import org.lfssd.tensor.Tensor;

/**
 * Trains a model with a {@link TrainingRecipe}: per epoch a seeded Fisher–Yates shuffle of the data, then
 * consecutive batches, each augmented (if the recipe says so), transformed (e.g. resized) and used for one
 * cross-entropy SGD step at the scheduled learning rate. Everything random comes from one
 * {@link SplittableRandom} seeded by the caller, so a seed fixes the trained weights on any thread count.
 */
public final class Trainer {
    private static final Logger LOG = System.getLogger(Trainer.class.getName());

    private Trainer() {}

    /**
     * Trains {@code model} in place on {@code data}.
     *
     * @param model  the model to train
     * @param data   the training set
     * @param recipe the optimiser, schedule, batch size and augmentation
     * @param seed   seeds the per-epoch shuffles and the augmentation draws
     * @param transform applied to each batch's images after augmentation, or null
     * @return the mean training loss of the last epoch (NaN for zero epochs)
     */
    public static double train(Module model, Dataset data, TrainingRecipe recipe, long seed, UnaryOperator<Tensor> transform) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("Trainer.train: empty data set");
        }
        SGD sgd = new SGD(model.namedParameters().values(),
                SgdOptions.learningRate(recipe.lr()).momentum(recipe.momentum()).weightDecay(recipe.weightDecay()));
        long stepsPerEpoch = (data.size() + recipe.batchSize() - 1) / recipe.batchSize();
        MultiStepSchedule schedule = new MultiStepSchedule(recipe.lr(), stepsPerEpoch, recipe.warmupEpochs(),
                recipe.milestones(), recipe.gamma());
        SplittableRandom shuffle = new SplittableRandom(seed);
        SplittableRandom augment = shuffle.split();
        long step = 0;
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= recipe.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Dataset epochData = data.select(Shuffle.permutation(data.size(), shuffle));
            double lossSum = 0;
            int steps = 0;
            for (Batch b : epochData.batches(recipe.batchSize())) {
                Tensor x = b.images();
                if (recipe.augmentation() != null) {
                    x = recipe.augmentation().apply(x, augment);
                }
                if (transform != null) {
                    x = transform.apply(x);
                }
                lossSum += TrainStep.crossEntropy(model, sgd, schedule, step++, x, b.labels());
                steps++;
            }
            lastLoss = lossSum / steps;
            double loss = lastLoss;
            int e = epoch;
            LOG.log(Level.DEBUG, () -> String.format(java.util.Locale.ROOT, "train epoch %d/%d: %d samples, mean loss %.4f, %.1f s",
                    e, recipe.epochs(), data.size(), loss, (System.nanoTime() - t0) / 1e9));
        }
        return lastLoss;
    }

}
