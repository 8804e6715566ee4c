package org.lfssd.eval;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * A forgetting experiment: one trained model, a scenario, several methods and seeds → a {@link ResultTable}
 * with every metric and timing.
 *
 * <pre>{@code
 * ResultTable t = Experiment.builder(rng -> new ResNet18(100, rng), original)
 *         .split(seed -> Scenarios.fullClass(train, test, 100, 3))
 *         .methods(ForgettingMethod.original(), ForgettingMethod.finetune(TrainingRecipe.officialFinetune()),
 *                  ForgettingMethod.ssd(10, 1), ForgettingMethod.lfssd(10, 1), ForgettingMethod.assd())
 *         .seeds(0, 1, 2)
 *         .build().run();
 * t.writeCsv(Path.of("results.csv"));
 * }</pre>
 *
 * <p>Protocol, per seed: the split for that seed is built (random forgetting draws a new one per seed);
 * every method starts from the original's weights or a fresh model and never changes the original, so
 * methods are independent of their order; Ω_D is computed once per importance kind and reused by every
 * dampening method and seed ({@link ImportanceCache}). Each resulting model is then evaluated in eval mode:
 * accuracies on the test, retain-test, forget-test, retain-train and forget-train sets; the MIA (members
 * retain-train, non-members test, scored on forget-train); ZRF against a fresh "unlearning teacher"
 * (initialised from the seed) on forget-train; the activation distance on forget-train to the original and,
 * once a method named {@code "retrain"} has run for the seed, to that retrained model.
 */
public final class Experiment {
    private static final Logger LOG = System.getLogger(Experiment.class.getName());

    private final ModelFactory factory;
    private final Module original;
    private final LongFunction<ForgettingSplit> splits;
    private final List<ForgettingMethod> methods;
    private final long[] seeds;
    private final int batchSize;
    private final AccuracyMode accuracyMode;
    private final ZrfFormula zrfFormula;
    private final TeacherMode teacherMode;
    private final UnaryOperator<Tensor> inputTransform;
    private final ImportanceCache importances;

    private Experiment(Builder b) {
        this.factory = b.factory;
        this.original = b.original;
        this.splits = Objects.requireNonNull(b.splits, "Experiment: no split given (builder.split(...))");
        this.methods = List.copyOf(b.methods);
        this.seeds = b.seeds.clone();
        this.batchSize = b.batchSize;
        this.accuracyMode = b.accuracyMode;
        this.zrfFormula = b.zrfFormula;
        this.teacherMode = b.teacherMode;
        this.inputTransform = b.inputTransform;
        this.importances = b.importances;
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("Experiment: no methods given");
        }
    }

    /**
     * A builder for experiments on {@code original}, a trained model that {@code factory} can rebuild
     * (same architecture and state-dict keys).
     *
     * @param factory  builds fresh models of {@code original}'s architecture
     * @param original the trained model; never modified
     * @return a builder with the defaults; a split and at least one method must be set before {@link Builder#build()}
     */
    public static Builder builder(ModelFactory factory, Module original) {
        return new Builder(factory, original);
    }

    /**
     * Runs every seed and method; rows come seed by seed, methods in the given order.
     *
     * @return one row per seed and method
     */
    public ResultTable run() {
        List<ExperimentResult> rows = new ArrayList<>();
        for (long seed : seeds) {
            ForgettingSplit split = splits.apply(seed);
            ForgettingContext ctx = new ForgettingContext(original, factory, split, batchSize, seed, importances, inputTransform);
            Logits originalForget = Logits.of(original, split.forgetTrain(), batchSize, true, inputTransform);
            Module teacher = factory.create(new SplittableRandom(seed).split());
            Logits teacherForget = Logits.of(teacher, split.forgetTrain(), batchSize, teacherMode == TeacherMode.EVAL, inputTransform);
            Map<String, Logits> forgetLogits = new HashMap<>();
            List<ExperimentResult> seedRows = new ArrayList<>();
            for (ForgettingMethod m : methods) {
                LOG.log(Level.INFO, () -> "experiment " + split.description() + " seed " + seed + ": running " + m.name());
                ForgettingOutcome out = m.apply(ctx);
                Logits fTrain = Logits.of(out.model(), split.forgetTrain(), batchSize, true, inputTransform);
                Logits rTrain = Logits.of(out.model(), split.retainTrain(), batchSize, true, inputTransform);
                Logits test = Logits.of(out.model(), split.test(), batchSize, true, inputTransform);
                Logits fTest = Logits.of(out.model(), split.forgetTest(), batchSize, true, inputTransform);
                Logits rTest = Logits.of(out.model(), split.retainTest(), batchSize, true, inputTransform);
                forgetLogits.put(m.name(), fTrain);
                ExperimentResult r = new ExperimentResult(split.description(), m.name(), seed,
                        Accuracy.of(test, accuracyMode), Accuracy.of(rTest, accuracyMode), Accuracy.of(fTest, accuracyMode),
                        Accuracy.of(rTrain, accuracyMode), Accuracy.of(fTrain, accuracyMode),
                        MembershipInference.attack(rTrain, test, fTrain).memberFraction(),
                        ZeroRetrainForgetting.score(fTrain, teacherForget, zrfFormula),
                        ActivationDistance.between(fTrain, originalForget), Double.NaN, out.seconds(), out.omegaDSeconds(),
                        out.details());
                LOG.log(Level.INFO, () -> String.format(Locale.ROOT, "  %s: test %.2f%%, Df %.2f%%, MIA %.2f%% (%.1f s) %s",
                        m.name(), 100 * r.testAccuracy(), 100 * r.forgetTestAccuracy(), 100 * r.mia(), r.seconds(), r.details()));
                seedRows.add(r);
            }
            Logits retrained = forgetLogits.get("retrain");
            for (ExperimentResult r : seedRows) {
                rows.add(retrained == null ? r
                        : r.withActivationDistanceToRetrain(ActivationDistance.between(forgetLogits.get(r.method()), retrained)));
            }
        }
        return new ResultTable(rows);
    }

    /** Settings of an {@link Experiment}; defaults: seed 0, batch 64, sample-weighted accuracy, Jensen–Shannon ZRF, teacher in eval mode. */
    public static final class Builder {
        private final ModelFactory factory;
        private final Module original;
        private LongFunction<ForgettingSplit> splits;
        private final List<ForgettingMethod> methods = new ArrayList<>();
        private long[] seeds = {0};
        private int batchSize = 64;
        private AccuracyMode accuracyMode = AccuracyMode.SAMPLE_WEIGHTED;
        private ZrfFormula zrfFormula = ZrfFormula.JENSEN_SHANNON;
        private TeacherMode teacherMode = TeacherMode.EVAL;
        private UnaryOperator<Tensor> inputTransform;
        private ImportanceCache importances = new ImportanceCache();

        private Builder(ModelFactory factory, Module original) {
            this.factory = Objects.requireNonNull(factory, "factory");
            this.original = Objects.requireNonNull(original, "original");
        }

        /**
         * The same split for every seed (full-class and sub-class forgetting).
         *
         * @param split the forgetting request used for every seed
         * @return this builder
         */
        public Builder split(ForgettingSplit split) {
            Objects.requireNonNull(split, "split");
            this.splits = seed -> split;
            return this;
        }

        /**
         * A split per seed (random forgetting: {@code seed -> Scenarios.random(train, test, 10, 0.00165, seed)}).
         *
         * @param splitForSeed builds the forgetting request of a seed
         * @return this builder
         */
        public Builder split(LongFunction<ForgettingSplit> splitForSeed) {
            this.splits = Objects.requireNonNull(splitForSeed, "splitForSeed");
            return this;
        }

        /**
         * The methods, run in this order for every seed; names must be unique.
         *
         * @param ms the methods to add after any added before
         * @return this builder
         * @throws IllegalArgumentException if a method's name is already taken
         */
        public Builder methods(ForgettingMethod... ms) {
            for (ForgettingMethod m : ms) {
                if (methods.stream().anyMatch(x -> x.name().equals(m.name()))) {
                    throw new IllegalArgumentException("Experiment: two methods named " + m.name());
                }
                methods.add(m);
            }
            return this;
        }

        /**
         * The seeds; one run of every method per seed.
         *
         * @param s the seeds, at least one
         * @return this builder
         * @throws IllegalArgumentException if there are no seeds
         */
        public Builder seeds(long... s) {
            if (s.length == 0) {
                throw new IllegalArgumentException("Experiment: no seeds");
            }
            this.seeds = s.clone();
            return this;
        }

        /**
         * Batch size of importances and evaluation (the papers: 64).
         *
         * @param b the batch size, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code b < 1}
         */
        public Builder batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("Experiment: batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * Sample-weighted (default) or the official per-batch mean.
         *
         * @param mode how accuracies are averaged
         * @return this builder
         */
        public Builder accuracyMode(AccuracyMode mode) {
            this.accuracyMode = Objects.requireNonNull(mode);
            return this;
        }

        /**
         * The true Jensen–Shannon divergence (default) or the official code's formula.
         *
         * @param f the ZRF divergence formula
         * @return this builder
         */
        public Builder zrfFormula(ZrfFormula f) {
            this.zrfFormula = Objects.requireNonNull(f);
            return this;
        }

        /**
         * Eval-mode teacher (default) or the official training-mode one.
         *
         * @param m the mode the ZRF teacher is run in
         * @return this builder
         */
        public Builder teacherMode(TeacherMode m) {
            this.teacherMode = Objects.requireNonNull(m);
            return this;
        }

        /**
         * Applied to every batch's images before the model (e.g. {@code new BilinearResize(224)} for the ViT).
         *
         * @param t the image transform, or null for none (the default)
         * @return this builder
         */
        public Builder inputTransform(UnaryOperator<Tensor> t) {
            this.inputTransform = t;
            return this;
        }

        /**
         * Shares Ω_D with other experiments on the same original model (by default each experiment has its own cache).
         *
         * @param cache the Ω_D cache to use
         * @return this builder
         */
        public Builder importances(ImportanceCache cache) {
            this.importances = Objects.requireNonNull(cache);
            return this;
        }

        /**
         * The experiment.
         *
         * @return a new experiment with this builder's settings
         * @throws NullPointerException if no split was given
         * @throws IllegalArgumentException if no method was given
         */
        public Experiment build() {
            return new Experiment(this);
        }
    }
}
