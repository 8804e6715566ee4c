package org.lfssd.optim;

/**
 * Linear warm-up followed by cosine decay:
 * <ul>
 *   <li>{@code step < warmup}: {@code base·(step + 1)/warmup}, so the first step already moves and step
 *       {@code warmup − 1} reaches {@code base};</li>
 *   <li>{@code warmup ≤ step ≤ total}: {@code min + (base − min)·(1 + cos(π·(step − warmup)/(total − warmup)))/2};</li>
 *   <li>after {@code total}: {@code min}.</li>
 * </ul>
 */
public final class CosineWarmupSchedule implements LrSchedule {
    private final double baseLr;
    private final double minLr;
    private final long warmupSteps;
    private final long totalSteps;

    /**
     * A linear warm-up then a cosine decay.
     *
     * @param baseLr      the rate reached at the end of the warm-up
     * @param minLr       the rate at {@code totalSteps} and after
     * @param warmupSteps steps of linear warm-up from 0
     * @param totalSteps  the step at which the decay ends
     */
    public CosineWarmupSchedule(double baseLr, double minLr, long warmupSteps, long totalSteps) {
        if (!(baseLr >= 0) || !(minLr >= 0) || minLr > baseLr || warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("CosineWarmupSchedule: need 0 <= minLr <= baseLr and 0 <= warmup < total, got base="
                    + baseLr + " min=" + minLr + " warmup=" + warmupSteps + " total=" + totalSteps);
        }
        this.baseLr = baseLr;
        this.minLr = minLr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    @Override
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("CosineWarmupSchedule: negative step " + step);
        }
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return minLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + (baseLr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }
}
