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
 * normalised rows from {@code x} (one cheap pass) instead of keeping a second activation-sized tensor.
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
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        Tensor y = Tensor.zeros(xs);
        int rowsPerChunk = rowsPerChunk(d);
        Parallel.forRange(rows, rowsPerChunk, (start, end) -> {
            for (int r = start; r < end; r++) {
                normaliseRow(xv, r, d, eps, gv, bv, y.data(), mean, rstd);
            }
        });

        boolean needX = x.requiresGrad();
        boolean needGamma = gamma != null && gamma.requiresGrad();
        boolean needBeta = beta != null && beta.requiresGrad();
        return Var.fromOp("layerNorm", y, g -> {
            Grads grads = backward(xv, gv, g, rows, d, mean, rstd, needX, needGamma, needBeta);
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

    /** Row {@code r}: two-pass mean and variance (no cancellation), then scale and shift into {@code y}. */
    private static void normaliseRow(Tensor x, int r, int d, float eps, Tensor gamma, Tensor beta,
                                     float[] y, float[] mean, float[] rstd) {
        KernelProvider k = Kernels.ops();
        int yOff = r * d;
        float mu = k.sum(x.data(), x.offset() + yOff, d) / d;
        k.addScalar(-mu, x.data(), x.offset() + yOff, y, yOff, d);
        float var = k.sumSquares(y, yOff, d) / d;
        float inv = (float) (1.0 / Math.sqrt((double) var + eps));
        k.scale(inv, y, yOff, y, yOff, d);
        if (gamma != null) {
            k.mul(y, yOff, gamma.data(), gamma.offset(), y, yOff, d);
        }
        if (beta != null) {
            k.add(y, yOff, beta.data(), beta.offset(), y, yOff, d);
        }
        mean[r] = mu;
        rstd[r] = inv;
    }

    private record Grads(Tensor dx, Tensor dGamma, Tensor dBeta) {}

    /**
     * With {@code xhat = (x - mean) * rstd} and {@code gx = g * gamma}:
     * {@code dx = rstd * (gx - mean(gx) - xhat * mean(gx * xhat))}, {@code dGamma = sum_rows g * xhat},
     * {@code dBeta = sum_rows g}.
     */
    private static Grads backward(Tensor x, Tensor gamma, Tensor g, int rows, int d, float[] mean, float[] rstd,
                                  boolean needX, boolean needGamma, boolean needBeta) {
        Tensor dx = needX ? Tensor.zeros(x.shape()) : null;
        int rowsPerChunk = rowsPerChunk(d);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        float[][] gammaPartials = needGamma ? new float[chunks][d] : null;
        float[][] betaPartials = needBeta ? new float[chunks][d] : null;
        float[] gd = g.data();
        int gOff = g.offset();
        Parallel.forEach(chunks, c -> {
            KernelProvider k = Kernels.ops();
            float[] xhat = new float[d];
            float[] tmp = new float[d];
            int end = Math.min(rows, (c + 1) * rowsPerChunk);
            for (int r = c * rowsPerChunk; r < end; r++) {
                int off = r * d;
                k.addScalar(-mean[r], x.data(), x.offset() + off, xhat, 0, d);
                k.scale(rstd[r], xhat, 0, xhat, 0, d);
                if (needGamma) {
                    k.mul(gd, gOff + off, xhat, 0, tmp, 0, d);
                    k.add(gammaPartials[c], 0, tmp, 0, gammaPartials[c], 0, d);
                }
                if (needBeta) {
                    k.add(betaPartials[c], 0, gd, gOff + off, betaPartials[c], 0, d);
                }
                if (needX) {
                    float[] gx = gd;
                    int gxOff = gOff + off;
                    if (gamma != null) {
                        k.mul(gd, gOff + off, gamma.data(), gamma.offset(), tmp, 0, d);
                        gx = tmp;
                        gxOff = 0;
                    }
                    float meanGx = k.sum(gx, gxOff, d) / d;
                    float meanGxXhat = k.dot(gx, gxOff, xhat, 0, d) / d;
                    float[] dd = dx.data();
                    k.scale(-meanGxXhat, xhat, 0, dd, off, d);
                    k.add(dd, off, gx, gxOff, dd, off, d);
                    k.addScalar(-meanGx, dd, off, dd, off, d);
                    k.scale(rstd[r], dd, off, dd, off, d);
                }
            }
        });
        return new Grads(dx, needGamma ? sumInChunkOrder(gammaPartials, d) : null,
                needBeta ? sumInChunkOrder(betaPartials, d) : null);
    }

    private static Tensor sumInChunkOrder(float[][] partials, int d) {
        Tensor s = Tensor.zeros(d);
        for (float[] p : partials) {
            Kernels.ops().add(s.data(), 0, p, 0, s.data(), 0, d);
        }
        return s;
    }
}
