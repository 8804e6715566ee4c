package org.lfssd.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Loading and copying PyTorch-style state dicts ({@code Map<String, Tensor>} keyed by dotted paths such
 * as {@code conv2_x.0.residual_function.1.running_mean}).
 */
public final class StateDicts {
    private StateDicts() {}

    /**
     * What a non-strict load skipped.
     *
     * @param missingKeys    keys of the model that the given state did not contain (left unchanged)
     * @param unexpectedKeys keys of the given state that the model does not have (ignored)
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }

        /** True when every key matched in both directions. */
        public boolean isExact() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
        }
    }

    /**
     * Copies {@code state} into {@code model}'s parameters and buffers in place.
     *
     * <p>Everything is checked before anything is written, so a rejected load leaves the model untouched.
     * A shape mismatch on a shared key is always an error (as in PyTorch, even when not strict), and so is a
     * non-integer value for an integer counter ({@code num_batches_tracked}), which could not be saved. When
     * {@code strict}, missing and unexpected keys are errors as well; the exception names every offending
     * key at once. When not strict, the matching keys are loaded and the others are reported in the result.
     */
    public static LoadResult load(Module model, Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = model.stateDict();
        Set<String> integerKeys = model.integerStateKeys();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> nonInteger = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!e.getValue().sameShape(given)) {
                mismatched.add(e.getKey() + " (model " + Shapes.str(e.getValue().shape())
                        + ", checkpoint " + Shapes.str(given.shape()) + ")");
            } else if (integerKeys.contains(e.getKey())) {
                String problem = nonIntegerCount(given);
                if (problem != null) {
                    nonInteger.add(e.getKey() + " (checkpoint holds " + problem + ")");
                }
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        boolean keyErrors = strict && !(missing.isEmpty() && unexpected.isEmpty());
        if (keyErrors || !mismatched.isEmpty() || !nonInteger.isEmpty()) {
            StringBuilder msg = new StringBuilder("loadStateDict(" + model.getClass().getSimpleName()
                    + (strict ? ", strict" : ", non-strict") + "): ");
            List<String> parts = new ArrayList<>();
            if (strict && !missing.isEmpty()) {
                parts.add(missing.size() + " missing key(s) " + missing);
            }
            if (strict && !unexpected.isEmpty()) {
                parts.add(unexpected.size() + " unexpected key(s) " + unexpected);
            }
            if (!mismatched.isEmpty()) {
                parts.add(mismatched.size() + " shape mismatch(es) " + mismatched);
            }
            if (!nonInteger.isEmpty()) {
                parts.add(nonInteger.size() + " integer counter(s) given a non-integer " + nonInteger);
            }
            msg.append(String.join("; ", parts));
            throw new IllegalArgumentException(msg.toString());
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given != null) {
                e.getValue().copyFrom(given);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /**
     * Why {@code t} cannot be an integer counter such as {@code num_batches_tracked} (a non-integer, or beyond
     * the 2^24 up to which the float buffer counts exactly and a checkpoint stores it as int64), or null.
     */
    private static String nonIntegerCount(Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < t.numel(); i++) {
            float v = d[t.offset() + i];
            if (!Float.isFinite(v) || v != Math.rint(v) || Math.abs(v) > (1 << 24)) {
                return v + " at element " + i;
            }
        }
        return null;
    }

    /** A deep copy: fresh tensors with the same keys, order and values (a snapshot of a live state dict). */
    public static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** The largest {@code |a - b|} over all keys of {@code a}; both must have the same keys and shapes. */
    public static float maxAbsDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException("maxAbsDifference: key sets differ: " + a.keySet() + " vs " + b.keySet());
        }
        float max = 0f;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            Tensor x = e.getValue();
            Tensor y = b.get(e.getKey());
            if (!x.sameShape(y)) {
                throw new IllegalArgumentException("maxAbsDifference: " + e.getKey() + " has shapes "
                        + Arrays.toString(x.shape()) + " vs " + Arrays.toString(y.shape()));
            }
            float[] xd = x.data();
            float[] yd = y.data();
            for (int i = 0; i < x.numel(); i++) {
                max = Math.max(max, Math.abs(xd[x.offset() + i] - yd[y.offset() + i]));
            }
        }
        return max;
    }
}
