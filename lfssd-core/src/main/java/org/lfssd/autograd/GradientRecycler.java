package org.lfssd.autograd;

import java.util.IdentityHashMap;
import org.lfssd.tensor.StepArena;
import org.lfssd.tensor.Tensor;

/**
 * During one backward pass inside a {@link StepArena}: which gradient arrays the graph's Vars still hold,
 * so that an array the arena handed out during this pass goes back to it as soon as no Var holds it, and
 * the pass's later gradients reuse it. Without this the arena would keep every gradient of the step until
 * its reset, far more than the step ever has alive at once.
 *
 * <p>Arrays are counted, not tensors: a backward function may pass its incoming gradient on, whole or as a
 * reshaped view, to one or more inputs, and every such holder shares the array. Only arrays handed out since
 * backward began are ever released; the forward pass's activations, which saved tensors may still share,
 * wait for the arena's reset.
 */
final class GradientRecycler {
    private final StepArena arena;
    private final int since;
    private final IdentityHashMap<float[], Integer> holders = new IdentityHashMap<>();

    private GradientRecycler(StepArena arena) {
        this.arena = arena;
        this.since = arena.mark();
    }

    /** A recycler for a backward pass on this thread, or null when no arena is open (nothing to recycle). */
    static GradientRecycler start() {
        StepArena arena = StepArena.current();
        return arena == null ? null : new GradientRecycler(arena);
    }

    /** A Var now holds {@code t} as its gradient. */
    void hold(Tensor t) {
        holders.merge(t.data(), 1, Integer::sum);
    }

    /** A Var no longer holds {@code t}; if nothing else does, its array goes back to the arena. */
    void drop(Tensor t) {
        float[] d = t.data();
        Integer n = holders.get(d);
        if (n == null) {
            throw new IllegalStateException("backward: dropping a gradient of shape " + java.util.Arrays.toString(t.shape())
                    + " that no Var held");
        }
        if (n == 1) {
            holders.remove(d);
        } else {
            holders.put(d, n - 1);
        }
        releaseIfUnheld(t);
    }

    /**
     * Gives {@code t}'s array back to the arena if no Var holds it and the arena handed it out during this
     * backward: a gradient that was copied into a leaf or added into another Var's own gradient.
     */
    void releaseIfUnheld(Tensor t) {
        float[] d = t.data();
        if (!holders.containsKey(d) && arena.releasable(d, since)) {
            arena.release(d);
        }
    }
}
