package org.lfssd.eval;

/** The "original" baseline: a copy of the trained model, unchanged. */
final class Original implements ForgettingMethod {
    @Override
    public String name() {
        return "original";
    }

    @Override
    public ForgettingOutcome apply(ForgettingContext context) {
        long t0 = System.nanoTime();
        var copy = context.copyOfOriginal();
        return new ForgettingOutcome(copy, (System.nanoTime() - t0) / 1e9, Double.NaN, "unchanged");
    }
}
