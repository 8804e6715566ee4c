package org.lfssd.autograd.ops;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * Inverted dropout: each element is kept with probability {@code 1 - p} and then scaled by
 * {@code 1 / (1 - p)}, so the expectation is unchanged and evaluation needs no rescaling.
 */
public final class DropoutOps {
    private DropoutOps() {}

    /**
     * Dropout of {@code x}. Returns {@code x} itself when {@code !training} or {@code p == 0}. The keep
     * decisions are drawn from {@code rng} in row-major element order (one {@code nextFloat()} each), so
     * the same generator state gives the same mask. Backward keeps only a bit mask, 1/32 of the input.
     *
     * @param x        the input
     * @param p        the drop probability in [0, 1)
     * @param training whether dropout is active
     * @param rng      the source of the masks
     * @return the result
     * @throws IllegalArgumentException if {@code p} is not in {@code [0, 1)}
     */
    public static Var dropout(Var x, float p, boolean training, RandomGenerator rng) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        if (rng == null) {
            throw new IllegalArgumentException("dropout: a random generator is required in training mode");
        }
        int n = x.value().numel();
        long[] keep = new long[(n + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            if (rng.nextFloat() >= p) {
                keep[i >>> 6] |= 1L << i;
            }
        }
        // The same float factor as PyTorch's mask / (1 - p), applied as one multiplication.
        float scale = 1f / (1f - p);
        Tensor out = masked(x.value(), keep, scale);
        return Var.fromOp("dropout", out, g -> new Tensor[] {masked(g, keep, scale)}, x);
    }

    /** {@code t * scale} where the mask bit is set, 0 elsewhere. */
    private static Tensor masked(Tensor t, long[] keep, float scale) {
        Tensor out = Tensor.zeros(t.shape());
        float[] td = t.data();
        float[] od = out.data();
        int to = t.offset();
        Parallel.forRange(t.numel(), Chunked.GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                if ((keep[i >>> 6] & (1L << i)) != 0) {
                    od[i] = td[to + i] * scale;
                }
            }
        });
        return out;
    }
}
