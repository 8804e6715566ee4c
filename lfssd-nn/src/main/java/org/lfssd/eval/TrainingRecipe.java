package org.lfssd.eval;

import java.util.Arrays;
import org.lfssd.data.RandomCropFlip;

/**
 * How a model is trained: SGD with momentum and weight decay under a {@link org.lfssd.optim.MultiStepSchedule},
 * mini-batches drawn from a fresh seeded shuffle every epoch, optional augmentation. Used by the retrain and
 * finetune baselines and to train the original model ({@link Trainer}).
 *
 * @param epochs       passes over the data
 * @param batchSize    samples per step (the last batch of an epoch may be smaller)
 * @param lr           base learning rate
 * @param momentum     SGD momentum
 * @param weightDecay  SGD weight decay
 * @param warmupEpochs epochs of linear warm-up from 0
 * @param milestones   1-based epochs at which the rate is multiplied by {@code gamma}
 * @param gamma        the decay factor
 * @param augmentation applied to every batch before the step, or null
 */
public record TrainingRecipe(int epochs, int batchSize, double lr, double momentum, double weightDecay, int warmupEpochs,
                             int[] milestones, double gamma, RandomCropFlip augmentation) {

    /**
     * Checks the values.
     *
     * @param epochs       passes over the data
     * @param batchSize    samples per step (the last batch of an epoch may be smaller)
     * @param lr           base learning rate
     * @param momentum     SGD momentum
     * @param weightDecay  SGD weight decay
     * @param warmupEpochs epochs of linear warm-up from 0
     * @param milestones   1-based epochs at which the rate is multiplied by {@code gamma}
     * @param gamma        the decay factor
     * @param augmentation applied to every batch before the step, or null
     */
    public TrainingRecipe {
        if (epochs < 0 || batchSize < 1 || !(lr > 0) || momentum < 0 || weightDecay < 0 || warmupEpochs < 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("TrainingRecipe: invalid epochs=" + epochs + " batch=" + batchSize + " lr=" + lr
                    + " momentum=" + momentum + " weightDecay=" + weightDecay + " warmup=" + warmupEpochs + " gamma=" + gamma);
        }
        milestones = milestones.clone();
    }

    /**
     * Constant-rate SGD with momentum 0.9 and weight decay 5e-4, no augmentation.
     *
     * @param epochs    passes over the data
     * @param batchSize samples per step
     * @param lr        the constant learning rate
     * @return the recipe
     */
    public static TrainingRecipe sgd(int epochs, int batchSize, double lr) {
        return new TrainingRecipe(epochs, batchSize, lr, 0.9, 5e-4, 0, new int[0], 1.0, null);
    }

    /**
     * The official finetune baseline (ALGORITHM.md §8.7): 5 epochs on D_r, SGD lr 0.02, momentum 0.9, weight decay 5e-4, batch 64.
     *
     * @return the recipe
     */
    public static TrainingRecipe officialFinetune() {
        return sgd(5, 64, 0.02);
    }

    /**
     * The official retrain baseline for ResNet18 on CIFAR-100 (ALGORITHM.md §8.6–8.7): the pre-training
     * epochs and milestones (200; 60/120/160) at SGD lr 0.01, momentum 0.9, weight decay 5e-4, batch 64,
     * decay 0.2, no warm-up, no augmentation (the unlearning loaders have none).
     *
     * @return the recipe
     */
    public static TrainingRecipe officialRetrainResNet18Cifar100() {
        return new TrainingRecipe(200, 64, 0.01, 0.9, 5e-4, 0, new int[] {60, 120, 160}, 0.2, null);
    }

    /**
     * The official ResNet18 pre-training on CIFAR-100 (ALGORITHM.md §8.6), with crop-and-flip augmentation (no rotation).
     *
     * @param augmentation the crop-and-flip augmentation, or null for none
     * @return the recipe: 200 epochs, batch 64, SGD lr 0.1, momentum 0.9, weight decay 5e-4, 1 warm-up epoch,
     *         decay 0.2 at epochs 60, 120 and 160
     */
    public static TrainingRecipe officialPretrainResNet18Cifar100(RandomCropFlip augmentation) {
        return new TrainingRecipe(200, 64, 0.1, 0.9, 5e-4, 1, new int[] {60, 120, 160}, 0.2, augmentation);
    }

    /**
     * This recipe with a different number of epochs (milestones unchanged).
     *
     * @param newEpochs the number of epochs
     * @return a copy of this recipe with {@code epochs = newEpochs}
     */
    public TrainingRecipe withEpochs(int newEpochs) {
        return new TrainingRecipe(newEpochs, batchSize, lr, momentum, weightDecay, warmupEpochs, milestones, gamma, augmentation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingRecipe r && epochs == r.epochs && batchSize == r.batchSize && lr == r.lr
                && momentum == r.momentum && weightDecay == r.weightDecay && warmupEpochs == r.warmupEpochs
                && Arrays.equals(milestones, r.milestones) && gamma == r.gamma && augmentation == r.augmentation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, gamma})
                + 31 * Arrays.hashCode(milestones);
    }

    @Override
    public String toString() {
        return "TrainingRecipe[epochs=" + epochs + ", batch=" + batchSize + ", lr=" + lr + ", momentum=" + momentum
                + ", weightDecay=" + weightDecay + ", warmup=" + warmupEpochs + ", milestones=" + Arrays.toString(milestones)
                + ", gamma=" + gamma + ", augmentation=" + (augmentation != null) + "]";
    }
}
