package org.lfssd.eval;

import java.util.HashMap;
import java.util.Map;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;

/**
 * Ω_D computed once per original model and importance kind, then reused by every request, seed and method
 * that needs the same kind — as the papers' Algorithm 1 prescribes ("calculate and store [ ]_D once").
 * The key is the importance method (LFSSD or SSD), the reduction, the batch size and the size of D, and a hit is
 * used only if its weight fingerprint matches the original model's, so SSD and ASSD share one Ω_D while LFSSD has its own, and a different original
 * model never gets a stale one.
 */
public final class ImportanceCache {

    /**
     * One cached Ω_D.
     *
     * @param importance the importance over D
     * @param seconds    the wall time it took to compute
     */
    public record Entry(Importance importance, double seconds) {}

    private final Map<String, Entry> entries = new HashMap<>();

    /** Ω_D for {@code unlearner}'s importance kind on {@code context}'s D, computing it on a copy of the original if needed. */
    public synchronized Entry fullImportance(Unlearner unlearner, ForgettingContext context) {
        Module copy = context.copyOfOriginal();
        String key = unlearner.method() + "/" + unlearner.reduction() + "/" + context.batchSize() + "/"
                + context.split().full().size();
        Entry e = entries.get(key);
        if (e == null || !describes(e, copy)) {
            long t0 = System.nanoTime();
            Importance omegaD = unlearner.importance(copy, context.batches(context.split().full()));
            e = new Entry(omegaD, (System.nanoTime() - t0) / 1e9);
            entries.put(key, e);
        }
        return e;
    }

    /** Whether the cached Ω_D was computed on exactly {@code model}'s weights (by the importance's fingerprint). */
    private static boolean describes(Entry e, Module model) {
        try {
            e.importance().requireDescribes(model, e.importance().parameterNames()::contains, true);
            return true;
        } catch (IllegalArgumentException stale) {
            return false;
        }
    }

    /** The number of Ω_D computed so far. */
    public synchronized int size() {
        return entries.size();
    }
}
