package org.lfssd.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
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
        /**
         * Makes the key lists immutable.
         *
         * @param missingKeys    keys of the model that the given state did not contain (left unchanged)
         * @param unexpectedKeys keys of the given state that the model does not have (ignored)
         */
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }

        /**
         * True when every key matched in both directions.
         *
         * @return true if nothing was missing and nothing unexpected
         */
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
     *
     * @param model  the model to fill
     * @param state  tensors by state-dict key (any order)
     * @param strict whether missing and unexpected keys are errors
     * @return the keys a non-strict load skipped
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
                parts.add(missing.size() + " missing key(s) " + KeyMismatch.capped(missing));
            }
            if (strict && !unexpected.isEmpty()) {
                parts.add(unexpected.size() + " unexpected key(s) " + KeyMismatch.capped(unexpected));
            }
            if (!mismatched.isEmpty()) {
                parts.add(mismatched.size() + " shape mismatch(es) " + KeyMismatch.capped(mismatched));
            }
            if (!nonInteger.isEmpty()) {
                parts.add(nonInteger.size() + " integer counter(s) given a non-integer " + KeyMismatch.capped(nonInteger));
            }
            msg.append(String.join("; ", parts)).append('.');
            String pattern = KeyMismatch.pattern(own, state, mismatched);
            if (pattern != null) {
                msg.append(' ').append(pattern);
            }
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

    /**
     * The state with {@code prefix} removed from every key that starts with it (other keys unchanged), as
     * PyTorch's {@code consume_prefix_in_state_dict_if_present}: e.g. {@code "module."} for a checkpoint saved
     * from {@code DataParallel}. The tensors are shared, not copied.
     *
     * @param state  a state dict
     * @param prefix the prefix to remove, e.g. {@code "module."}
     * @return a new map in the same order
     * @throws IllegalArgumentException if two keys become one
     */
    public static Map<String, Tensor> stripPrefix(Map<String, Tensor> state, String prefix) {
        return rename(state, k -> k.startsWith(prefix) ? k.substring(prefix.length()) : k);
    }

    /**
     * The state with {@code prefix} put in front of every key (e.g. to load a backbone's checkpoint into a
     * model that holds it as a child). The tensors are shared, not copied.
     *
     * @param state  a state dict
     * @param prefix the prefix to add, e.g. {@code "backbone."}
     * @return a new map in the same order
     */
    public static Map<String, Tensor> addPrefix(Map<String, Tensor> state, String prefix) {
        return rename(state, k -> prefix + k);
    }

    /**
     * The state with every key replaced by {@code rule(key)}; a rule returning null drops that entry. The
     * tensors are shared, not copied; the order is kept.
     *
     * @param state a state dict
     * @param rule  the new key for each old key, or null to drop it
     * @return a new map
     * @throws IllegalArgumentException if two keys map to the same new key (both are named)
     */
    public static Map<String, Tensor> rename(Map<String, Tensor> state, Function<String, String> rule) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = rule.apply(e.getKey());
            if (key == null) {
                continue;
            }
            String before = origin.putIfAbsent(key, e.getKey());
            if (before != null) {
                throw new IllegalArgumentException("StateDicts.rename: '" + before + "' and '" + e.getKey()
                        + "' both become '" + key + "'");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    /**
     * The state with {@code regex} replaced by {@code replacement} in every key ({@link String#replaceAll}
     * semantics, so {@code $1} refers to groups), e.g.
     * {@code rename(state, "^encoder\\.layer\\.(\\d+)\\.", "blocks.$1.")}.
     *
     * @param state       a state dict
     * @param regex       a regular expression matched against each key
     * @param replacement the replacement, with {@code $n} group references
     * @return a new map in the same order
     * @throws IllegalArgumentException if two keys become one
     */
    public static Map<String, Tensor> rename(Map<String, Tensor> state, String regex, String replacement) {
        Pattern p = Pattern.compile(regex);
        return rename(state, k -> p.matcher(k).replaceAll(replacement));
    }

    /**
     * A deep copy: fresh tensors with the same keys, order and values (a snapshot of a live state dict).
     *
     * @param state a state dict
     * @return the copy
     */
    public static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /**
     * The largest {@code |a - b|} over all keys of {@code a}; both must have the same keys and shapes.
     *
     * @param a one state dict
     * @param b another, with the same keys and shapes
     * @return the largest absolute difference, 0 for equal states
     */
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
