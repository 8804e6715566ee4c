package org.lfssd.unlearn;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.nn.Module;

/**
 * Forgets a subset D_f of a model's training data D by selective synaptic dampening, without retraining.
 *
 * <p>Two importance estimates are compared per parameter: Ω_D on the full training set (compute it once,
 * e.g. right after training, and keep it) and Ω_f on the forget set. Parameters much more important to
 * D_f than to D ({@code Ω_f > α·Ω_D}) are scaled down by {@code β = min(λ·Ω_D/Ω_f, 1)}.
 *
 * <pre>{@code
 * Unlearner u = Unlearner.lfssd().alpha(10).lambda(1).build();
 * Importance omegaD = u.importance(model, fullTrainSet.batches(64));   // once, after training
 * DampeningReport r = u.forget(model, forgetSet.batches(64), omegaD);  // per forget request
 * }</pre>
 *
 * <p>Defaults reproduce the authors' code: {@link Method#LFSSD} (or {@link #ssd()}), the
 * {@link Reduction#REFERENCE} reduction, α = 10, λ = 1, every parameter.
 *
 * <p>Caveat on α: Ω_D includes D_f (a share φ of D). With the {@link Reduction#PER_SAMPLE} reduction, or
 * when the forget samples formed their own batches in Ω_D's pass (the authors' unshuffled retain-then-forget
 * order), no ratio Ω_f/Ω_D above about 1/φ can occur, so α = 10 when forgetting one class of ten selects
 * nothing. When Ω_D was computed on batches that mix forget and retained samples (e.g. once after training,
 * on shuffled data) there is no such bound: batch-mean gradients partly cancel and ratios far above 1/φ
 * occur. The report gives the largest ratio present; when nothing is selected a warning says so, stating
 * the bound only where it holds. Use a smaller α or {@link Builder#adaptiveAlpha()}.
 *
 * <p>Logging (through {@link System.Logger}): progress of passes longer than a few seconds at INFO on
 * {@code org.lfssd.unlearn.LoggingProgressListener} (see {@link Builder#progress}); after a dampening, the
 * totals at INFO ({@link DampeningReport#summary()}) and the per-tensor table at DEBUG on
 * {@code org.lfssd.unlearn.Unlearner}; a WARNING there when nothing was selected.
 *
 * <p>An unlearner holds only settings and may be shared. A model supports one importance pass or dampening
 * at a time: a second one started on it concurrently fails with an {@link IllegalStateException}.
 */
public final class Unlearner {
    private static final Logger LOG = System.getLogger(Unlearner.class.getName());

    private final Method method;
    private final Reduction reduction;
    private final double alpha;
    private final boolean adaptiveAlpha;
    private final double lambda;
    private final Predicate<String> parameterFilter;
    private final ProgressListener progress;
    private final boolean checkWeights;

    private Unlearner(Builder b) {
        this.method = b.method;
        this.reduction = b.reduction;
        this.alpha = b.alpha;
        this.adaptiveAlpha = b.adaptiveAlpha;
        this.lambda = b.lambda;
        this.parameterFilter = b.parameterFilter;
        this.progress = b.progress;
        this.checkWeights = b.checkWeights;
    }

    /**
     * A builder for label-free LFSSD (the default method).
     *
     * @return a builder with the reference defaults
     */
    public static Builder lfssd() {
        return new Builder(Method.LFSSD);
    }

    /**
     * A builder for SSD (cross-entropy Fisher; every batch needs labels).
     *
     * @return a builder with the reference defaults
     */
    public static Builder ssd() {
        return new Builder(Method.SSD);
    }

    /**
     * A builder for {@code method}.
     *
     * @param method LFSSD or SSD
     * @return a builder with the reference defaults
     */
    public static Builder builder(Method method) {
        return new Builder(Objects.requireNonNull(method, "method"));
    }

    /** {@return the importance method} */
    public Method method() {
        return method;
    }

    /** {@return how gradients are reduced into Ω} */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The fixed α, or NaN when α is chosen adaptively per request.
     *
     * @return α, or NaN for the adaptive rule
     */
    public double alpha() {
        return adaptiveAlpha ? Double.NaN : alpha;
    }

    /** {@return true when α is chosen per request by the ASSD percentile rule} */
    public boolean isAdaptiveAlpha() {
        return adaptiveAlpha;
    }

    /** {@return the dampening constant λ} */
    public double lambda() {
        return lambda;
    }

    /**
     * Computes Ω on {@code batches} (in their order; one pass, model in eval mode, caller's modes restored,
     * gradients cleared). Use it for Ω_D on the full training set, which includes the samples to forget.
     *
     * <p>Each batch's gradient is the sum of its shards' gradients ({@code lfssd.shards}, default 2), computed
     * side by side: the model's {@code forward} is called once per shard, with part of the batch, from
     * several threads at once. The library's modules allow that; a custom module must not write shared state
     * in {@code forward} nor mix the samples of a batch in eval mode. With {@code lfssd.shards=1} it is called
     * once per batch, on the calling thread.
     *
     * @param model   the model; its weights are not changed
     * @param batches the data set in the order the reference reduction depends on
     * @return Ω with its provenance (method, reduction, counts, weight fingerprint)
     */
    public Importance importance(Module model, Iterable<Batch> batches) {
        try (ExclusiveModelUse use = ExclusiveModelUse.acquire(model, "importance")) {
            return pass().run(model, batches, "importance");
        }
    }

    /**
     * The importance pass over {@code batches} without its final division, for a pass split over processes
     * or machines: sum consecutive parts of the data set each with this method, add the parts in data order
     * with {@link ImportanceSum#plus} and divide once with {@link ImportanceSum#toImportance()} (see
     * {@link ImportanceSum} for when that equals one pass bit for bit).
     *
     * @param model     the model; its weights are not changed
     * @param batches   one consecutive part of the data set, cut into batches as the whole pass would cut it
     * @param batchSize the nominal batch size of the whole pass (no batch may be larger), which the result
     *                  records even when this part holds only a short last batch
     * @return the undivided sums with their counts and provenance
     * @throws IllegalArgumentException if {@code batchSize} is below 1 or a batch is larger
     */
    public ImportanceSum importanceSum(Module model, Iterable<Batch> batches, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("importanceSum: batch size must be >= 1, got " + batchSize);
        }
        try (ExclusiveModelUse use = ExclusiveModelUse.acquire(model, "importance")) {
            return pass().accumulate(model, batches, "importance", batchSize);
        }
    }

    /**
     * Forgets the samples in {@code forgetBatches}: computes Ω_f on them, then selects and dampens in place.
     *
     * @param model          the model to change in place
     * @param forgetBatches  the forget set D_f
     * @param fullImportance Ω_D from {@link #importance} on the full training set, computed on the model's
     *                       current weights with the same method, reduction and parameters
     * @return what was selected and dampened
     * @throws IllegalArgumentException if Ω_D does not describe the model, or on invalid values (no weight
     *                                  is changed then)
     * @throws java.util.concurrent.CancellationException if the thread is interrupted (no weight is changed)
     */
    public DampeningReport forget(Module model, Iterable<Batch> forgetBatches, Importance fullImportance) {
        try (ExclusiveModelUse use = ExclusiveModelUse.acquire(model, "forget")) {
            requireUsable(fullImportance, "Ω_D");
            fullImportance.requireDescribes(model, parameterFilter, checkWeights);
            long t0 = System.nanoTime();
            Importance forgetImportance = pass().run(model, forgetBatches, "forget-set importance");
            long importanceNanos = System.nanoTime() - t0;
            // Both were just checked against the model (Ω_f by construction), so skip re-hashing the weights.
            return dampen(model, forgetImportance, fullImportance, importanceNanos, false);
        }
    }

    /**
     * Selects and dampens in place from precomputed Ω_f and Ω_D (see {@link #forget}).
     *
     * @param model            the model to change in place
     * @param forgetImportance Ω_f on the forget set
     * @param fullImportance   Ω_D on the full training set
     * @return what was selected and dampened
     */
    public DampeningReport dampen(Module model, Importance forgetImportance, Importance fullImportance) {
        try (ExclusiveModelUse use = ExclusiveModelUse.acquire(model, "dampen")) {
            return dampen(model, forgetImportance, fullImportance, 0L, true);
        }
    }

    private DampeningReport dampen(Module model, Importance forget, Importance full, long importanceNanos,
                                   boolean verifyAgainstModel) {
        long t0 = System.nanoTime();
        requireUsable(forget, "Ω_f");
        requireUsable(full, "Ω_D");
        forget.requireSameKind(full, "Ω_D");
        if (verifyAgainstModel) {
            forget.requireDescribes(model, parameterFilter, checkWeights);
            full.requireDescribes(model, parameterFilter, checkWeights);
        }
        if (full.sampleCount() < forget.sampleCount()) {
            LOG.log(Level.WARNING, "Ω_D covers {0} samples but Ω_f {1}: Ω_D should be computed on the full training"
                    + " set, which contains the forget set", full.sampleCount(), forget.sampleCount());
        }
        double usedAlpha = alpha;
        double percentile = Double.NaN;
        if (adaptiveAlpha) {
            percentile = AdaptiveAlpha.percentileLevel(forget.sampleCount(), full.sampleCount());
            usedAlpha = AdaptiveAlpha.alpha(forget.values(), full.values(), percentile);
        }
        Map<String, Var> params = new LinkedHashMap<>(model.namedParameters());
        Dampener.Outcome outcome = Dampener.apply(params, forget, full, usedAlpha, lambda);
        DampeningReport report = new DampeningReport(method, usedAlpha, percentile, lambda, outcome.maxRatio(),
                outcome.tensors(), importanceNanos, System.nanoTime() - t0);
        if (report.nothingSelected()) {
            LOG.log(Level.WARNING, OutOfReachWarning.message(method, reduction, outcome.maxRatio(), usedAlpha,
                    forget.sampleCount(), full.sampleCount()));
        } else {
            LOG.log(Level.INFO, report::summary);
            LOG.log(Level.DEBUG, report::toString);
        }
        return report;
    }

    private void requireUsable(Importance omega, String which) {
        Objects.requireNonNull(omega, which);
        if (omega.method() != method || omega.reduction() != reduction) {
            throw new IllegalArgumentException(which + " was computed with " + omega.method() + "/" + omega.reduction()
                    + " but this unlearner uses " + method + "/" + reduction);
        }
    }

    private ImportancePass pass() {
        // A fresh logging listener per pass: it keeps timing state, and an unlearner may be shared.
        return new ImportancePass(method, reduction, parameterFilter, progress != null ? progress : ProgressListener.logging());
    }

    @Override
    public String toString() {
        return "Unlearner(" + method + ", " + reduction + ", alpha=" + (adaptiveAlpha ? "adaptive" : alpha)
                + ", lambda=" + lambda + ")";
    }

    /** Settings for an {@link Unlearner}; every setting has the reference default. */
    public static final class Builder {
        private final Method method;
        private Reduction reduction = Reduction.REFERENCE;
        private double alpha = 10;
        private boolean adaptiveAlpha;
        private double lambda = 1;
        private Predicate<String> parameterFilter = name -> true;
        /** Null means the default: a new {@link ProgressListener#logging()} per pass. */
        private ProgressListener progress;
        private boolean checkWeights = true;

        private Builder(Method method) {
            this.method = method;
        }

        /**
         * How gradients become Ω (default {@link Reduction#REFERENCE}, the authors' per-batch mean).
         *
         * @param reduction the reduction
         * @return this builder
         */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /**
         * The selection threshold α ≥ 0 (default 10); {@code +∞} selects nothing. Selection compares in float,
         * so a finite α must be a finite float (at most {@link Float#MAX_VALUE}).
         *
         * @param alpha the threshold
         * @return this builder
         */
        public Builder alpha(double alpha) {
            if (!(alpha >= 0) || (Float.isInfinite((float) alpha) && !Double.isInfinite(alpha))) {
                throw new IllegalArgumentException("alpha must be >= 0 and, unless +Infinity, a finite float (at most "
                        + Float.MAX_VALUE + "), got " + alpha);
            }
            this.alpha = alpha;
            this.adaptiveAlpha = false;
            return this;
        }

        /**
         * Chooses α per forget request by the ASSD percentile rule (see {@link AdaptiveAlpha}).
         *
         * @return this builder
         */
        public Builder adaptiveAlpha() {
            this.adaptiveAlpha = true;
            return this;
        }

        /**
         * The dampening constant λ ≥ 0 (default 1); λ = 0 zeroes every selected parameter. Dampening computes
         * in float, so λ must be a finite float (at most {@link Float#MAX_VALUE}).
         *
         * @param lambda the constant
         * @return this builder
         */
        public Builder lambda(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda) || Float.isInfinite((float) lambda)) {
                throw new IllegalArgumentException("lambda must be finite and >= 0 in float precision (at most "
                        + Float.MAX_VALUE + "), got " + lambda);
            }
            this.lambda = lambda;
            return this;
        }

        /**
         * Restricts importance and dampening to the parameters whose name passes {@code filter}.
         *
         * @param filter accepts the state-dict names of the parameters to consider
         * @return this builder
         */
        public Builder parameters(Predicate<String> filter) {
            this.parameterFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Receives batch progress of importance passes. The default, {@link ProgressListener#logging()},
         * logs at INFO every five seconds once a pass runs that long; {@link ProgressListener#NONE} is silent.
         *
         * @param listener the listener for every pass of the built unlearner
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Accepts an Ω_D computed on other weights than the model now holds (the paper's "compute Ω_D once"
         * across several successive forget requests). Method, reduction, parameters and shapes are still
         * checked. Off by default.
         *
         * @param allow true to skip the weight fingerprint check
         * @return this builder
         */
        public Builder allowStaleImportance(boolean allow) {
            this.checkWeights = !allow;
            return this;
        }

        /** {@return an unlearner with these settings} */
        public Unlearner build() {
            return new Unlearner(this);
        }
    }
}
