package org.lfssd.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lfssd.kernels.Config;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.StepArena;
import org.lfssd.tensor.Tensor;

/**
 * The gradient of a batch-mean loss, computed on fixed shards of the batch side by side, one thread per
 * shard, and summed:
 *
 * <pre>
 *   L_b = (1/|b|) Σ_{x ∈ b} ℓ(x) = Σ_s L_{b,s},    L_{b,s} = (1/|b|) Σ_{x ∈ s} ℓ(x)
 *   ∇θ L_b = Σ_s ∇θ L_{b,s}                         (added in shard order)
 * </pre>
 *
 * <p>Why: when every op is cut between the threads, each op pays a hand-off, a thread waits at the end of
 * every op whose last task is long, and the serial work between ops (allocation, small ops, the autograd
 * bookkeeping) runs on one thread while the others wait. The images of a batch are independent until the
 * loss, so a shard's whole forward and backward can run on one thread with its ops inline, and the threads
 * meet once per batch.
 *
 * <p>Determinism: shard {@code s} is the contiguous sample range {@code [s·B/S, (s+1)·B/S)}, which depends
 * only on the batch size B and the shard count S. Each shard's gradients are computed on one thread in a
 * fixed order (ops give the same bits inline as in parallel) into its own {@link LeafGradients}, and the
 * shards' gradients are added in shard order. So the result depends on S, never on the thread count or on
 * which thread ran which shard. S is {@link #configuredShards()} (the knob {@code lfssd.shards}) capped at
 * B; like a different batch, a different S changes the order of the additions and so the last bits.
 *
 * <p>Scheduling: with at most S threads the shards are the pool's tasks; with more threads than shards they
 * run one after another, each with every thread inside its ops. Either way the bits are the same.
 *
 * <p>Memory: each shard keeps its own detached {@link StepArena} (unless {@code lfssd.arena=off}), entered by
 * whichever thread runs the shard and reset when its backward is done, so shard s's next step reuses shard
 * s's arrays; and its own gradient buffers, one set per shard. The shards' activations together are one
 * batch's, as without shards.
 *
 * <p>Not thread-safe: one {@link #run} at a time.
 */
public final class ShardedBackward implements AutoCloseable {
    /** The default of {@code lfssd.shards}: one shard per thread on the two-core machines we measure on. */
    public static final int DEFAULT_SHARDS = 2;

    /** Builds one shard's forward and returns its share of the batch loss. */
    @FunctionalInterface
    public interface ShardLoss {
        /**
         * The loss of shard {@code shard}: forward samples {@code [start, end)} of the batch and return their
         * share {@code L_{b,s}} of the batch mean (for example {@link F#meanSquaredNorm(Var, int)} with the
         * whole batch's size). Runs on the thread that runs the shard; must not write shared state.
         *
         * @param shard the shard's index
         * @param start its first sample, inclusive
         * @param end   its last sample, exclusive
         * @return a scalar that requires a gradient
         */
        Var loss(int shard, int start, int end);
    }

    private final List<Var> leaves;
    private final int batchSize;
    private final int shards;
    private final StepArena[] arenas;
    private final LeafGradients[] gradients;
    private final Tensor[] combined;
    private boolean closed;

    /**
     * Prepares the shards of batches of {@code batchSize} samples.
     *
     * @param leaves     the leaves (parameters) whose gradients {@link #gradient} returns; others get none
     * @param batchSize  the batch size B, at least 1
     * @param shardCount the shard count asked for, at least 1 (capped at B)
     * @throws IllegalArgumentException if a count is not positive
     */
    public ShardedBackward(List<Var> leaves, int batchSize, int shardCount) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("ShardedBackward: batch size must be >= 1, got " + batchSize);
        }
        if (shardCount < 1) {
            throw new IllegalArgumentException("ShardedBackward: shard count must be >= 1, got " + shardCount);
        }
        this.leaves = List.copyOf(Objects.requireNonNull(leaves, "ShardedBackward: leaves"));
        this.batchSize = batchSize;
        this.shards = Math.min(shardCount, batchSize);
        this.arenas = new StepArena[shards];
        this.gradients = new LeafGradients[shards];
        for (int s = 0; s < shards; s++) {
            arenas[s] = StepArena.detachedAsConfigured();
            gradients[s] = new LeafGradients();
        }
        this.combined = new Tensor[this.leaves.size()];
    }

    /**
     * The shard count the knob {@code lfssd.shards} asks for (default {@value #DEFAULT_SHARDS}).
     *
     * @return a positive count
     * @throws IllegalArgumentException if the knob is not a positive integer
     */
    public static int configuredShards() {
        return Config.positiveInt("lfssd.shards", DEFAULT_SHARDS);
    }

    /** {@return the number of shards (the count asked for, capped at the batch size)} */
    public int shards() {
        return shards;
    }

    /**
     * The first sample of shard {@code s}; shard s is {@code [start(s), start(s + 1))}.
     *
     * @param s a shard index in {@code [0, shards()]}
     * @return its first sample ({@code start(shards())} is the batch size)
     */
    public int start(int s) {
        return (int) ((long) s * batchSize / shards);
    }

    /**
     * Runs every shard's forward and backward and sums their leaves' gradients in shard order. Each shard's
     * arrays go back to its arena once its backward is done, so nothing the shard made may be kept.
     *
     * @param loss builds a shard's loss
     * @return each shard's loss value, in shard order (their sum is the batch loss)
     * @throws IllegalStateException if closed
     */
    public float[] run(ShardLoss loss) {
        if (closed) {
            throw new IllegalStateException("ShardedBackward: closed");
        }
        Objects.requireNonNull(loss, "ShardedBackward: loss");
        float[] losses = new float[shards];
        if (Parallel.threads() <= shards) {
            Parallel.forEach(shards, s -> losses[s] = runShard(loss, s));
        } else {
            for (int s = 0; s < shards; s++) {
                losses[s] = runShard(loss, s);
            }
        }
        combine();
        return losses;
    }

    /**
     * The summed gradient of leaf {@code i} from the last {@link #run}, or null if no shard's backward reached it.
     * The tensor is this object's and is overwritten by the next run.
     *
     * @param i the leaf's index in the list given at construction
     * @return its gradient, or null
     */
    public Tensor gradient(int i) {
        return combined[i];
    }

    private float runShard(ShardLoss loss, int s) {
        LeafGradients into = gradients[s];
        into.clear();
        StepArena arena = arenas[s];
        if (arena == null) {
            return forwardBackward(loss, s, into);
        }
        try (StepArena.Entered ignored = arena.enter()) {
            try {
                return forwardBackward(loss, s, into);
            } finally {
                // The shard's tensors have been read: its leaves' gradients are LeafGradients' own arrays.
                arena.reset();
            }
        }
    }

    private float forwardBackward(ShardLoss loss, int s, LeafGradients into) {
        Var l = loss.loss(s, start(s), start(s + 1));
        if (l == null || l.value().numel() != 1) {
            throw new IllegalArgumentException("ShardedBackward: shard " + s + "'s loss must be a scalar, got "
                    + (l == null ? "null" : l.toString()));
        }
        float value = l.value().item();
        l.backward(Tensor.ones(l.shape()), into);
        return value;
    }

    /** {@code combined[i] = g_0 + g_1 + ...} (the shards that reached leaf i, in shard order), into the first one's buffer. */
    private void combine() {
        int[] lengths = new int[leaves.size()]; // 0 where there is nothing to add
        List<List<Tensor>> addends = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            Tensor first = null;
            List<Tensor> rest = new ArrayList<>();
            for (LeafGradients g : gradients) {
                Tensor t = g.get(leaves.get(i));
                if (t == null) {
                    continue;
                }
                if (first == null) {
                    first = t;
                } else {
                    rest.add(t);
                }
            }
            combined[i] = first;
            addends.add(rest);
            lengths[i] = rest.isEmpty() ? 0 : first.numel();
        }
        // Element-wise, so any cut into chunks gives the same bits; one job for all leaves.
        Parallel.forChunks(lengths, Parallel.TASK_ELEMENTS, (c, i, start, end) -> {
            Tensor sum = combined[i];
            for (Tensor t : addends.get(i)) {
                Kernels.provider().axpy(1f, t.data(), t.offset() + start, sum.data(), sum.offset() + start, end - start);
            }
        });
    }

    /** Drops the arenas' arrays and the gradient buffers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (StepArena a : arenas) {
            if (a != null) {
                a.close();
            }
        }
    }
}
