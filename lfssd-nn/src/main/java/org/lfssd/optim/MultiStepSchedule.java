package org.lfssd.optim;

import java.util.Arrays;

/**
 * A linear warm-up followed by step decay, the schedule of the papers' pre-training (ALGORITHM.md §8.6:
 * SGD, 1 warm-up epoch, MultiStepLR with γ = 0.2 at the milestone epochs).
 *
 * <p>For optimisation step {@code s} (0-based) in epoch {@code e = s / stepsPerEpoch + 1} (1-based):
 * <ul>
 *   <li>while {@code e ≤ warmupEpochs}: {@code lr = baseLr · s / (warmupEpochs·stepsPerEpoch + 1e-8)}, the
 *       {@code WarmUpLR} of the pytorch-cifar100 training loop, which starts at 0;</li>
 *   <li>after: {@code lr = baseLr · γ^k} with {@code k} the number of milestones {@code ≤ e}
 *       ({@code MultiStepLR.step(epoch)}'s closed form).</li>
 * </ul>
 */
public final class MultiStepSchedule implements LrSchedule {
    private final double baseLr;
    private final long stepsPerEpoch;
    private final int warmupEpochs;
    private final int[] milestones;
    private final double gamma;

    /**
     * @param baseLr        the learning rate after warm-up and before the first milestone
     * @param stepsPerEpoch optimisation steps (batches) per epoch
     * @param warmupEpochs  epochs of linear warm-up (0 for none)
     * @param milestones    1-based epochs from which the rate is multiplied by {@code gamma} once more
     * @param gamma         the decay factor
     */
    public MultiStepSchedule(double baseLr, long stepsPerEpoch, int warmupEpochs, int[] milestones, double gamma) {
        if (!(baseLr > 0) || stepsPerEpoch < 1 || warmupEpochs < 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("MultiStepSchedule: invalid baseLr=" + baseLr + " stepsPerEpoch="
                    + stepsPerEpoch + " warmupEpochs=" + warmupEpochs + " gamma=" + gamma);
        }
        this.baseLr = baseLr;
        this.stepsPerEpoch = stepsPerEpoch;
        this.warmupEpochs = warmupEpochs;
        this.milestones = milestones.clone();
        this.gamma = gamma;
    }

    /** The learning rate of step {@code step} (0-based). */
    @Override
    public double lr(long step) {
        long epoch = step / stepsPerEpoch + 1;
        if (epoch <= warmupEpochs) {
            return baseLr * step / (warmupEpochs * stepsPerEpoch + 1e-8);
        }
        int k = 0;
        for (int m : milestones) {
            if (m <= epoch) {
                k++;
            }
        }
        return baseLr * Math.pow(gamma, k);
    }

    @Override
    public String toString() {
        return "MultiStepSchedule[lr=" + baseLr + ", warmup=" + warmupEpochs + ", milestones=" + Arrays.toString(milestones)
                + ", gamma=" + gamma + "]";
    }
}
