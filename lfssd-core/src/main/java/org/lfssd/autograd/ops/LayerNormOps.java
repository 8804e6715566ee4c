package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Layer normalisation over the last dimension, as PyTorch's {@code nn.LayerNorm(D)}:
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta} with the biased variance.
 *
 * <p>Only the per-row mean and reciprocal standard deviation are saved; backward recomputes the
 * normalised rows from {@code x} instead of keeping a second activation-sized tensor. Each row, forward
 * and backward, is one fused kernel call ({@link KernelProvider#layerNormRow},
 * {@link KernelProvider#layerNormBackwardRow}): three passes over the row forward and two backward, where
 * the separate elementwise kernels made six calls forward and eleven backward.
 * Rows are processed in parallel in chunks whose size depends only on {@code D}; the gamma and beta
 * gradients are summed per chunk and the chunk partials are added in chunk order, so results do not
 * depend on the thread count.
 */
public final class LayerNormOps {
    private LayerNormOps() {}

    /** Elements per parallel chunk of rows. */
    private static final int TASK_ELEMENTS = 1 << 14;

    /**
     * LayerNorm of {@code x [..., D]}; {@code gamma} and {@code beta} are {@code [D]} or null (no scale,
     * no shift); {@code eps} is added to the variance.
     *
     * @param x     the input
     * @param gamma the scale over the last dimension, or null
     * @param beta  the shift over the last dimension, or null
     * @param eps   added to the variance
     * @return the normalised tensor
     */
    public static Var layerNorm(Var x, Var gamma, Var beta, float eps) {
        int[] xs = x.shape();
        if (xs.length < 1) {
            throw new IllegalArgumentException("layerNorm: needs at least one dimension, got shape " + Shapes.str(xs));
        }
        int d = xs[xs.length - 1];
        requireVector("gamma", gamma, d, xs);
        requireVector("beta", beta, d, xs);
        if (!(eps >= 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("layerNorm: eps must be finite and >= 0, got " + eps);
        }
        Tensor xv = x.value();
        int rows = d == 0 ? 0 : xv.numel() / d;
        Tensor gv = gamma == null ? null : gamma.value();
        Tensor bv = beta == null ? null : beta.value();
        // Per row: mean at 2r, rstd at 2r + 1.
        float[] stats = new float[2 * rows];
        Tensor y = Tensor.uninitialized(xs); // every row written
        float[] xd = xv.data();
        int xo = xv.offset();
        float[] gd = gv == null ? null : gv.data();
        int go = gv == null ? 0 : gv.offset();
        float[] bd = bv == null ? null : bv.data();
        int bo = bv == null ? 0 : bv.offset();
        Parallel.forRange(rows, rowsPerChunk(d), (start, end) -> {
            KernelProvider k = Kernels.provider();
            for (int r = start; r < end; r++) {
                k.layerNormRow(xd, xo + r * d, d, eps, gd, go, bd, bo, y.data(), r * d, stats, 2 * r);
            }
        });

        boolean needX = x.requiresGrad();
        boolean needGamma = gamma != null && gamma.requiresGrad();
        boolean needBeta = beta != null && beta.requiresGrad();
        return Var.fromOp("layerNorm", y, g -> {
            Grads grads = backward(xv, gv, g, rows, d, stats, needX, needGamma, needBeta);
            return new Tensor[] {grads.dx, grads.dGamma, grads.dBeta};
        }, x, gamma, beta);
    }

    private static void requireVector(String name, Var p, int d, int[] xs) {
        if (p != null && (p.dim() != 1 || p.size(0) != d)) {
            throw new IllegalArgumentException("layerNorm: " + name + " must be [" + d + "] for input "
                    + Shapes.str(xs) + ", got " + Shapes.str(p.shape()));
        }
    }

    private static int rowsPerChunk(int d) {
        return Math.max(1, TASK_ELEMENTS / Math.max(1, d));
    }

    private record Grads(Tensor dx, Tensor dGamma, Tensor dBeta) {}

    /**
     * With {@code xhat = (x - mean) * rstd} and {@code gx = g * gamma}:
     * {@code dx = rstd * (gx - mean(gx) - xhat * mean(gx * xhat))}, {@code dGamma = sum_rows g * xhat},
     * {@code dBeta = sum_rows g}.
     */
    private static Grads backward(Tensor x, Tensor gamma, Tensor g, int rows, int d, float[] stats,
                                  boolean needX, boolean needGamma, boolean needBeta) {
        Tensor dx = needX ? Tensor.uninitialized(x.shape()) : null; // every row written
        int rowsPerChunk = rowsPerChunk(d);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        float[][] gammaPartials = needGamma ? new float[chunks][d] : null;
        float[][] betaPartials = needBeta ? new float[chunks][d] : null;
        float[] xd = x.data();
        int xo = x.offset();
        float[] gd = g.data();
        int gOff = g.offset();
        float[] gammaData = gamma == null ? null : gamma.data();
        int gammaOff = gamma == null ? 0 : gamma.offset();
        float[] dxd = dx == null ? null : dx.data();
        Parallel.forEach(chunks, c -> {
            KernelProvider k = Kernels.provider();
            float[] dGamma = needGamma ? gammaPartials[c] : null;
            float[] dBeta = needBeta ? betaPartials[c] : null;
            int end = Math.min(rows, (c + 1) * rowsPerChunk);
            for (int r = c * rowsPerChunk; r < end; r++) {
                int off = r * d;
                k.layerNormBackwardRow(xd, xo + off, d, stats[2 * r], stats[2 * r + 1], gd, gOff + off,
                        gammaData, gammaOff, dxd, off, dGamma, 0, dBeta, 0);
            }
        });
        return new Grads(dx, needGamma ? sumInChunkOrder(gammaPartials, d) : null,
                needBeta ? sumInChunkOrder(betaPartials, d) : null);
    }

    private static Tensor sumInChunkOrder(float[][] partials, int d) {
        Tensor s = Tensor.zeros(d);
        for (float[] p : partials) {
            Kernels.provider().add(s.data(), 0, p, 0, s.data(), 0, d);
        }
        return s;
    }
}
