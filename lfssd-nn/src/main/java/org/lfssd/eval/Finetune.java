package org.lfssd.eval;

import java.util.Locale;
import org.lfssd.nn.Module;

/** The finetune baseline: the original trained further on D_r only (catastrophic forgetting of D_f). */
final class Finetune implements ForgettingMethod {
    private final TrainingRecipe recipe;

    Finetune(TrainingRecipe recipe) {
        this.recipe = recipe;
    }

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public ForgettingOutcome apply(ForgettingContext context) {
        long t0 = System.nanoTime();
        Module model = context.copyOfOriginal();
        double loss = Trainer.train(model, context.split().retainTrain(), recipe, context.seed(), context.inputTransform());
        return new ForgettingOutcome(model, (System.nanoTime() - t0) / 1e9, Double.NaN,
                String.format(Locale.ROOT, "%d epoch(s) on D_r at lr %.3g, last-epoch loss %.4f", recipe.epochs(), recipe.lr(), loss));
    }
}
