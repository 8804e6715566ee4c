package org.lfssd.autograd;

import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.lfssd.tensor.Tensor;

/**
 * A scope in which the given parameter tensors do not change, so that forms derived from them (a
 * convolution filter reordered, Winograd-transformed and packed; a Linear weight packed for the GEMM) are
 * computed once and reused from batch to batch instead of once per batch.
 *
 * <p>An importance pass is such a scope: Ω is a sum over hundreds of batches through the same weights,
 * and the dampening comes after it. Ops ask {@link #derived} for a weight's form; outside a scope, or for
 * a tensor the scope does not hold, it computes the form every time, as before. So the scope changes
 * how often a form is computed, never what it holds: results are the same bits with or without it.
 *
 * <p>Forms stay referenced until {@link #close}. Closing checks that no held parameter changed while the
 * scope was open (a fingerprint of the values of each parameter that had a form derived, taken when the
 * first form was), and throws naming the parameter's shape if one did, since forms derived before the
 * change would have been stale.
 *
 * <p>An open scope is seen by every thread (a benchmark harness may run successive batches on different
 * threads), and may be closed on any; the caller's promise covers them all. Scopes may overlap; the one
 * opened first that holds the tensor is used.
 */
public final class FrozenParameters implements AutoCloseable {
    private static final CopyOnWriteArrayList<FrozenParameters> OPEN = new CopyOnWriteArrayList<>();

    /** Read-only once the scope is open; the forms inside are guarded by their own lock. */
    private final IdentityHashMap<Tensor, Forms> held = new IdentityHashMap<>();
    private volatile boolean closed;

    /** The forms derived from one parameter, and the fingerprint of its values when the first was derived. */
    private static final class Forms {
        final Map<Object, Object> byKey = new HashMap<>();
        long fingerprint;
        boolean fingerprinted;
    }

    private FrozenParameters(Collection<Tensor> parameters) {
        for (Tensor p : parameters) {
            held.put(Objects.requireNonNull(p, "FrozenParameters: a parameter is null"), new Forms());
        }
    }

    /**
     * Opens a scope over {@code parameters}; close it with try-with-resources.
     *
     * @param parameters the tensors that must not change while the scope is open (their identity counts)
     * @return the scope
     * @throws NullPointerException if the collection or one of its elements is null
     */
    public static FrozenParameters of(Collection<Tensor> parameters) {
        FrozenParameters scope = new FrozenParameters(Objects.requireNonNull(parameters, "FrozenParameters: parameters"));
        OPEN.add(scope);
        return scope;
    }

    /**
     * The form of {@code weight} named by {@code key}: computed once per open scope that holds {@code weight},
     * else computed now. The caller must not write into a form it gets back.
     *
     * @param weight  the tensor the form is derived from
     * @param key     what the form is, with everything it depends on besides the weight's values (for example
     *                {@code List.of("winograd-filter", k, n)}); compared with {@code equals}
     * @param compute derives the form from the weight's current values
     * @param <T>     the form's type
     * @return the form
     */
    @SuppressWarnings("unchecked")
    public static <T> T derived(Tensor weight, Object key, Supplier<T> compute) {
        for (FrozenParameters scope : OPEN) {
            Forms forms = scope.held.get(weight);
            if (forms != null) {
                // Computed outside the lock: a form may be derived from another form of the same weight.
                synchronized (forms) {
                    Object form = forms.byKey.get(key);
                    if (form != null) {
                        return (T) form;
                    }
                    if (!forms.fingerprinted) {
                        forms.fingerprint = fingerprint(weight);
                        forms.fingerprinted = true;
                    }
                }
                T form = Objects.requireNonNull(compute.get(), "FrozenParameters: a form computed to null");
                synchronized (forms) {
                    // Two threads may have raced to compute the same form; both are equal, keep the first.
                    return (T) forms.byKey.computeIfAbsent(key, k -> form);
                }
            }
        }
        return compute.get();
    }

    /**
     * Whether an open scope holds {@code weight}, so that {@link #derived} would keep its forms. Ops that have
     * a cheaper way to use a weight once (packing it into a reused buffer, say) take that way when not.
     *
     * @param weight the tensor
     * @return whether a form derived from it now would be kept for the scope
     */
    public static boolean holds(Tensor weight) {
        for (FrozenParameters scope : OPEN) {
            if (scope.held.containsKey(weight)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops the forms and checks that no parameter with a derived form changed while the scope was open.
     *
     * @throws IllegalStateException if one did, naming its shape
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        try {
            for (Map.Entry<Tensor, Forms> e : held.entrySet()) {
                Forms forms = e.getValue();
                synchronized (forms) {
                    if (forms.fingerprinted && fingerprint(e.getKey()) != forms.fingerprint) {
                        throw new IllegalStateException("FrozenParameters: a parameter of shape "
                                + java.util.Arrays.toString(e.getKey().shape()) + " changed while its derived forms"
                                + " were in use; results computed in the scope used its old values");
                    }
                }
            }
        } finally {
            for (Forms forms : held.values()) {
                synchronized (forms) {
                    forms.byKey.clear();
                }
            }
        }
    }

    /** A 64-bit hash of the values' bits, in order (FNV-1a over the float bits, mixed). */
    private static long fingerprint(Tensor t) {
        float[] d = t.data();
        int off = t.offset();
        int n = t.numel();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h = (h ^ Float.floatToRawIntBits(d[off + i])) * 0x100000001b3L;
        }
        return h;
    }
}
