package org.lfssd.autograd;

import java.util.IdentityHashMap;
import java.util.Map;
import org.lfssd.tensor.Tensor;

/**
 * The gradients that one backward pass gives its leaves, kept here instead of in the leaves' own
 * {@link Var#grad()} fields (see {@link Var#backward(Tensor, LeafGradients)}). Several passes over graphs
 * that share leaves (one per shard of a batch, on different threads) each write their own instance, so none
 * writes a tensor another reads.
 *
 * <p>As in a grad field, a leaf's first gradient is copied and later ones are added to it. The copy goes into
 * an array this object keeps from pass to pass: {@link #clear} forgets the values and keeps the arrays, so a
 * repeated step allocates nothing here after its first pass.
 *
 * <p>Not thread-safe: one backward pass at a time per instance.
 */
public final class LeafGradients {
    /** Per leaf: its buffer, and whether the buffer holds a gradient of the current pass. */
    private static final class Slot {
        final Tensor buffer;
        boolean written;

        Slot(Tensor buffer) {
            this.buffer = buffer;
        }
    }

    private final Map<Var, Slot> slots = new IdentityHashMap<>();

    /** Forgets every gradient; the arrays stay for the next pass. */
    public void clear() {
        for (Slot s : slots.values()) {
            s.written = false;
        }
    }

    /**
     * The gradient {@code leaf} received since the last {@link #clear}, or null if backward did not reach it.
     * The tensor is this object's: the next pass overwrites it.
     *
     * @param leaf a leaf (parameter)
     * @return its gradient, or null
     */
    public Tensor get(Var leaf) {
        Slot s = slots.get(leaf);
        return s == null || !s.written ? null : s.buffer;
    }

    /** {@code leaf}'s gradient {@code += g}, or {@code = g} (copied) for its first one since the last clear. */
    void accumulate(Var leaf, Tensor g) {
        Slot s = slots.get(leaf);
        if (s == null) {
            s = new Slot(Tensor.zeros(leaf.shape()));
            slots.put(leaf, s);
        }
        if (s.written) {
            s.buffer.addInPlace(g);
        } else {
            s.buffer.copyFrom(g);
            s.written = true;
        }
    }
}
