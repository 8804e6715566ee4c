package org.lfssd.kernels;

/**
 * The scalar reference provider: always available, one plain loop per kernel, and the definition of
 * correct for the SIMD provider. Reductions accumulate in double in ascending index order.
 */
public class ScalarKernels implements KernelProvider {
    private final Gemm gemm = new ScalarGemm();
    private final ImplicitGemm implicitGemm = new ScalarImplicitGemm();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return 0;
    }

    @Override
    public Gemm gemm() {
        return gemm;
    }

    @Override
    public ImplicitGemm implicitGemm() {
        return implicitGemm;
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    @Override
    public void reluScaleBackward(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float mean, float scale,
                                  float[] dz, int dzOff, float[] dx, int dxOff, float[] planeSums, int n) {
        float negMean = -mean;
        double s = 0;
        double d = 0;
        for (int i = 0; i < n; i++) {
            float z = g[gOff + i] * derivative(UnaryOp.RELU, y[yOff + i]);
            if (dz != null) {
                dz[dzOff + i] = z;
            }
            if (dx != null) {
                dx[dxOff + i] = scale * z;
            }
            s += z;
            d += (double) z * (x[xOff + i] + negMean);
        }
        if (planeSums != null) {
            planeSums[0] = (float) s;
            planeSums[1] = (float) d;
        }
    }

    @Override
    public void reluScaleBackwardPlanes(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float[] mean,
                                        float[] scale, int chOff, int planes, float[] dz, int dzOff, float[] dx, int dxOff,
                                        float[] planeSums, int n) {
        float[] sums = planeSums == null ? null : new float[2];
        for (int k = 0; k < planes; k++) {
            int at = k * n;
            reluScaleBackward(y, yOff + at, g, gOff + at, x, xOff + at, mean[chOff + k], scale[chOff + k], dz, dzOff + at,
                    dx, dxOff + at, sums, n);
            if (sums != null) {
                planeSums[2 * k] = sums[0];
                planeSums[2 * k + 1] = sums[1];
            }
        }
    }

    @Override
    public void scaleShiftAddReluPlanes(float[] scale, float[] shift, int chOff, int planes, float[] x, int xOff, float[] r,
                                        int rOff, float[] out, int outOff, int n) {
        for (int k = 0; k < planes; k++) {
            int at = k * n;
            scaleShiftAddRelu(scale[chOff + k], shift[chOff + k], x, xOff + at, r, rOff + at, out, outOff + at, n);
        }
    }

    @Override
    public void scaleShiftAddReluPixels(float[] scale, float[] shift, int channels, float[] x, int xOff, float[] r, int rOff,
                                        boolean relu, float[] out, int outOff, int pixels) {
        for (int p = 0; p < pixels; p++) {
            int at = p * channels;
            for (int c = 0; c < channels; c++) {
                float v = scale[c] * x[xOff + at + c] + shift[c];
                if (r != null) {
                    v += r[rOff + at + c];
                }
                out[outOff + at + c] = relu ? (v > 0f ? v : 0f) : v;
            }
        }
    }

    @Override
    public void reluScaleBackwardPixels(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float[] mean,
                                        float[] scale, int channels, float[] dz, int dzOff, float[] dx, int dxOff, float[] sums,
                                        int pixels) {
        if (sums != null) {
            java.util.Arrays.fill(sums, 0, 2 * channels, 0f);
        }
        for (int p = 0; p < pixels; p++) {
            int at = p * channels;
            for (int c = 0; c < channels; c++) {
                float gv = g[gOff + at + c];
                float z = y == null ? gv : gv * derivative(UnaryOp.RELU, y[yOff + at + c]);
                if (dz != null) {
                    dz[dzOff + at + c] = z;
                }
                if (dx != null) {
                    dx[dxOff + at + c] = scale[c] * z;
                }
                if (sums != null) {
                    sums[c] += z;
                    sums[channels + c] += z * (x[xOff + at + c] + -mean[c]);
                }
            }
        }
    }

    /** Channels per pass of the transposes: one cache line of floats on the pixel side, and as many rows read in step. */
    private static final int TRANSPOSE_BLOCK = 16;

    @Override
    public void planesToPixels(float[] src, int srcOff, int planeStride, int channels, float[] dst, int dstOff,
                               int[] pixelOffsets, int pixels) {
        for (int c0 = 0; c0 < channels; c0 += TRANSPOSE_BLOCK) {
            int c1 = Math.min(channels, c0 + TRANSPOSE_BLOCK);
            for (int p = 0; p < pixels; p++) {
                int d = dstOff + pixelOffsets[p];
                int s = srcOff + p;
                for (int c = c0; c < c1; c++) {
                    dst[d + c] = src[s + c * planeStride];
                }
            }
        }
    }

    @Override
    public void pixelsToPlanes(float[] src, int srcOff, int[] pixelOffsets, int pixels, int channels, float[] bias,
                               int biasOff, float[] dst, int dstOff, int planeStride) {
        for (int c0 = 0; c0 < channels; c0 += TRANSPOSE_BLOCK) {
            int c1 = Math.min(channels, c0 + TRANSPOSE_BLOCK);
            for (int p = 0; p < pixels; p++) {
                int s = srcOff + pixelOffsets[p];
                int d = dstOff + p;
                for (int c = c0; c < c1; c++) {
                    dst[d + c * planeStride] = bias == null ? src[s + c] : src[s + c] + bias[biasOff + c];
                }
            }
        }
    }

    @Override
    public void scaleShiftAddRelu(float scale, float shift, float[] x, int xOff, float[] r, int rOff, float[] out, int outOff,
                                  int n) {
        for (int i = 0; i < n; i++) {
            float v = scale * x[xOff + i] + shift;
            if (r != null) {
                v += r[rOff + i];
            }
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void addScalar(float s, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] + s;
        }
    }

    @Override
    public void map(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = apply(op, x[xOff + i]);
        }
    }

    @Override
    public void mapBackward(UnaryOp op, float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = g[gOff + i] * derivative(op, x[xOff + i]);
        }
    }

    /**
     * {@code op(v)} for one element: the definition every provider's {@link #map} is held to (the tests
     * compare against it element by element).
     *
     * @param op the function
     * @param v  the argument
     * @return {@code op(v)}
     */
    public static float apply(UnaryOp op, float v) {
        switch (op) {
            case NEG: return -v;
            case ABS: return Math.abs(v);
            case SQUARE: return v * v;
            case SQRT: return (float) Math.sqrt(v);
            case EXP: return (float) Math.exp(v);
            case LOG: return (float) Math.log(v);
            case RELU: return v > 0f ? v : 0f;
            case GELU: {
                double tail = Math.exp(-0.5 * v * v) * scaledLowerTail(v); // Phi(-|v|)
                return (float) (v * (v > 0 ? 1.0 - tail : tail));
            }
            default: throw new AssertionError(op);
        }
    }

    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /**
     * {@code H(|v|) = Phi(-|v|) exp(v^2/2) = erfcx(|v|/sqrt 2) / 2}, the GELU's lower tail without its
     * Gaussian factor. The tail as the product {@code exp(-v^2/2) H} keeps its relative accuracy for large
     * |v|, where {@code 1 - Phi} would cancel; {@code v * v} of a float is exact in double, so the
     * Gaussian needs no compensation. (The SIMD provider evaluates the same form in float, see
     * {@link GeluApproximation}.)
     */
    private static double scaledLowerTail(float v) {
        return 0.5 * Erf.erfcxOfNonNegative(Math.abs(v) * SQRT_HALF);
    }

    /**
     * {@code op'(v)} for one element. ABS and RELU take 0 as the derivative at 0, as PyTorch.
     *
     * @param op the function
     * @param v  the argument
     * @return {@code op'(v)}
     */
    public static float derivative(UnaryOp op, float v) {
        switch (op) {
            case NEG: return -1f;
            case ABS: return v > 0f ? 1f : (v < 0f ? -1f : 0f);
            case SQUARE: return 2f * v;
            case SQRT: return (float) (0.5 / Math.sqrt(v));
            case EXP: return (float) Math.exp(v);
            case LOG: return 1f / v;
            case RELU: return v > 0f ? 1f : 0f;
            case GELU: {
                // Phi(v) + v phi(v) around the common factor exp(-v^2/2): e (H + c v) for v <= 0 and
                // 1 - e (H - c v) for v > 0. Infinite v gives 0 * inf = NaN, as PyTorch; far left, where e
                // underflows, -0 (the sign of the true value; PyTorch's is +0).
                double gauss = Math.exp(-0.5 * v * v);
                double h = scaledLowerTail(v);
                double cv = INV_SQRT_2PI * v;
                return (float) (v > 0 ? 1.0 - gauss * (h - cv) : gauss * (h + cv));
            }
            default: throw new AssertionError(op);
        }
    }

    @Override
    public float sum(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[off + i];
        }
        return (float) s;
    }

    @Override
    public float sumSquares(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return (float) s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        if (n == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        float m = x[off];
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            // NaN wins, as torch.max
            if (v > m || Float.isNaN(v)) {
                m = v;
            }
        }
        return m;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) s;
    }

    @Override
    public float expSum(float shift, float[] x, int xOff, float[] out, int outOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            s += e;
        }
        return (float) s;
    }

    @Override
    public void layerNormRow(float[] x, int xOff, int n, float eps, float[] gamma, int gammaOff, float[] beta, int betaOff,
                             float[] y, int yOff, float[] stats, int statsOff) {
        // The same operations, in the same order and precision, as sum, addScalar, sumSquares, scale,
        // mul and add one after the other, so the scalar provider's results did not change with fusing.
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        float mean = (float) s / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            float c = x[xOff + i] + -mean;
            y[yOff + i] = c;
            ss += (double) c * c;
        }
        float var = (float) ss / n;
        float rstd = (float) (1.0 / Math.sqrt((double) var + eps));
        for (int i = 0; i < n; i++) {
            float v = rstd * y[yOff + i];
            if (gamma != null) {
                v = v * gamma[gammaOff + i];
            }
            if (beta != null) {
                v = v + beta[betaOff + i];
            }
            y[yOff + i] = v;
        }
        stats[statsOff] = mean;
        stats[statsOff + 1] = rstd;
    }

    @Override
    public void layerNormBackwardRow(float[] x, int xOff, int n, float mean, float rstd, float[] g, int gOff,
                                     float[] gamma, int gammaOff, float[] dx, int dxOff,
                                     float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
        double sumGx = 0;
        double sumGxXhat = 0;
        for (int i = 0; i < n; i++) {
            float xhat = rstd * (x[xOff + i] + -mean);
            float gi = g[gOff + i];
            if (dGamma != null) {
                dGamma[dGammaOff + i] = dGamma[dGammaOff + i] + gi * xhat;
            }
            if (dBeta != null) {
                dBeta[dBetaOff + i] = dBeta[dBetaOff + i] + gi;
            }
            float gx = gamma == null ? gi : gi * gamma[gammaOff + i];
            sumGx += gx;
            sumGxXhat += (double) gx * xhat;
        }
        if (dx == null) {
            return;
        }
        float meanGx = (float) sumGx / n;
        float meanGxXhat = (float) sumGxXhat / n;
        for (int i = 0; i < n; i++) {
            float xhat = rstd * (x[xOff + i] + -mean);
            float gi = g[gOff + i];
            float gx = gamma == null ? gi : gi * gamma[gammaOff + i];
            dx[dxOff + i] = rstd * ((-meanGxXhat * xhat + gx) + -meanGx);
        }
    }

    @Override
    public void accumulateMap(UnaryOp op, float[] x, int xOff, float[] acc, int accOff, int n) {
        for (int i = 0; i < n; i++) {
            acc[accOff + i] += apply(op, x[xOff + i]);
        }
    }
}
