package org.lfssd.eval;

import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * The retrain baselines: from scratch (a fresh model), or the official head-only reset (the original's
 * weights except those under a head prefix, which come from a fresh model), then trained on D_r.
 */
final class Retrain implements ForgettingMethod {
    private final String name;
    private final TrainingRecipe recipe;
    private final String headPrefix;

    /** @param headPrefix null to retrain from scratch, else the prefix of the state-dict keys to re-initialise */
    Retrain(String name, TrainingRecipe recipe, String headPrefix) {
        this.name = name;
        this.recipe = recipe;
        this.headPrefix = headPrefix;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForgettingOutcome apply(ForgettingContext context) {
        long t0 = System.nanoTime();
        // Initialisation and shuffling get independent streams derived from the run's seed.
        SplittableRandom rng = new SplittableRandom(context.seed());
        Module model = context.factory().create(rng.split());
        String details = "from scratch";
        if (headPrefix != null) {
            Map<String, Tensor> fresh = model.stateDict();
            Map<String, Tensor> state = new java.util.LinkedHashMap<>();
            int reset = 0;
            for (Map.Entry<String, Tensor> e : context.original().stateDict().entrySet()) {
                boolean head = e.getKey().startsWith(headPrefix);
                state.put(e.getKey(), head ? fresh.get(e.getKey()).copy() : e.getValue());
                reset += head ? 1 : 0;
            }
            if (reset == 0) {
                throw new IllegalArgumentException("retrain-head-reset: no state-dict key starts with \"" + headPrefix
                        + "\"; keys are " + state.keySet());
            }
            model.loadStateDict(state, true);
            details = "re-initialised " + reset + " tensor(s) under \"" + headPrefix + "\", kept the trained backbone";
        }
        double loss = Trainer.train(model, context.split().retainTrain(), recipe, rng.nextLong(), context.inputTransform());
        return new ForgettingOutcome(model, (System.nanoTime() - t0) / 1e9, Double.NaN,
                String.format(java.util.Locale.ROOT, "%s; %d epoch(s) on D_r, last-epoch loss %.4f", details, recipe.epochs(), loss));
    }
}
