package org.lfssd.eval;

import java.util.Locale;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Unlearner;

/** SSD, LFSSD or ASSD through the library's {@link Unlearner}, with Ω_D taken from the shared {@link ImportanceCache}. */
final class SynapticDampening implements ForgettingMethod {
    private final String name;
    private final Unlearner unlearner;

    SynapticDampening(String name, Unlearner unlearner) {
        this.name = name;
        this.unlearner = unlearner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForgettingOutcome apply(ForgettingContext context) {
        ImportanceCache.Entry omegaD = context.importances().fullImportance(unlearner, context);
        Module model = context.copyOfOriginal();
        long t0 = System.nanoTime();
        DampeningReport r = unlearner.forget(model, context.batches(context.split().forgetTrain()), omegaD.importance());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new ForgettingOutcome(model, seconds, omegaD.seconds(), String.format(Locale.ROOT,
                "alpha=%.4g lambda=%.3g, dampened %d of %d weights, largest ratio %.4g", r.alpha(), r.lambda(),
                r.totalSelected(), r.totalElements(), r.maxRatio()));
    }
}
