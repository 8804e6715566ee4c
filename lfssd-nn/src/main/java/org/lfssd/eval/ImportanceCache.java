package org.lfssd.eval;

import java.util.HashMap;
import java.util.Map;
import org.lfssd.data.Dataset;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;

/**
 * Ω_D computed once per original model and importance kind, then reused by every request, seed and method
 * that needs the same kind — as the papers' Algorithm 1 prescribes ("calculate and store [ ]_D once").
 * The key is the importance method (LFSSD or SSD), the reduction, the batch size and a hash of D (its samples
 * and their order), and a hit is used only if its weight fingerprint matches the original model's. So SSD and
 * ASSD share one Ω_D while LFSSD has its own, every seed of a full-class or sub-class experiment reuses it, a
 * random-forgetting seed (whose D puts different samples last, as the official loader does) gets its own, and
 * a different original model never gets a stale one.
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

    /**
     * Ω_D for {@code unlearner}'s importance kind on {@code context}'s D, computing it on a copy of the original if needed.
     *
     * @param unlearner decides the importance kind (method and reduction)
     * @param context   supplies D, the batch size and the original model
     * @return the cached or newly computed Ω_D with the time it took to compute
     */
    public synchronized Entry fullImportance(Unlearner unlearner, ForgettingContext context) {
        Module copy = context.copyOfOriginal();
        String key = unlearner.method() + "/" + unlearner.reduction() + "/" + context.batchSize() + "/"
                + fingerprint(context.split().full());
        Entry e = entries.get(key);
        if (e == null || !describes(e, copy)) {
            long t0 = System.nanoTime();
            Importance omegaD = unlearner.importance(copy, context.batches(context.split().full()));
            e = new Entry(omegaD, (System.nanoTime() - t0) / 1e9);
            entries.put(key, e);
        }
        return e;
    }

    /**
     * A hash of D's images, labels and order. The reference reduction depends on which samples share a batch,
     * so a D in another order (random forgetting puts each seed's forget samples last) needs its own Ω_D.
     */
    private static String fingerprint(Dataset d) {
        Tensor images = d.images();
        float[] px = images.data();
        long h = 1125899906842597L;
        for (int i = images.offset(), end = images.offset() + images.numel(); i < end; i++) {
            h = 31 * h + Float.floatToRawIntBits(px[i]);
        }
        for (int y : d.labels()) {
            h = 31 * h + y;
        }
        return d.size() + ":" + Long.toHexString(h);
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

    /**
     * The number of Ω_D computed so far.
     *
     * @return the number of cached entries
     */
    public synchronized int size() {
        return entries.size();
    }
}
