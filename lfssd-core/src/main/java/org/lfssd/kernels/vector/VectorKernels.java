package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.ScalarKernels;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.kernels.WinogradTransforms;

/**
 * The SIMD kernel provider on the incubating Vector API, at the platform's preferred width
 * (512 bits on AVX-512, 256 on AVX2).
 *
 * <p>Elementwise kernels round exactly as {@link ScalarKernels} does (a multiply and an add stay two
 * roundings, never a fused multiply-add), so for them both providers give bit-identical results; the
 * few unary ops computed differently in lanes ({@code SQRT}'s derivative, {@code EXP}) are within a
 * couple of float ulps. {@code GELU} is evaluated in float lanes by {@link GeluLanes}, within a few
 * float ulps of the scalar provider's double-precision definition.
 *
 * <p>Reductions accumulate in float lanes: {@value #REDUCTION_VECTORS} independent vector accumulators
 * (for instruction-level parallelism) over consecutive blocks, then one fixed combine (lanes written
 * out and summed in index order in double), then the scalar tail. The order depends only on
 * {@code n}, so results are deterministic; they differ from the scalar provider's double
 * accumulation by rounding, roughly {@code n / 64} float ulps at worst.
 *
 * <p>This class is loaded reflectively by {@code Kernels} only when {@code jdk.incubator.vector} is
 * readable; it is the only package besides tests that may touch the incubator module.
 */
public final class VectorKernels implements KernelProvider {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int REDUCTION_VECTORS = 4;
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[REDUCTION_VECTORS * L]);

    /** The register transposes are written for 16 lanes; other widths use the scalar provider's loops. */
    private static final KernelProvider SCALAR = new ScalarKernels();

    private final Gemm gemm = new VectorGemm();
    private final ImplicitGemm implicitGemm = new VectorImplicitGemm();
    private final WinogradTransforms winogradTransforms = new VectorWinogradTransforms();

    /** Creates the provider; the preferred species is fixed by the JVM and the CPU. */
    public VectorKernels() {
        // Nothing to configure: the species and the GEMM's blocking are constants of the platform.
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
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
    public WinogradTransforms winogradTransforms() {
        return winogradTransforms;
    }

    // ------------------------------------------------------------ binary elementwise

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).div(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        // mul then add (not fma): the same two roundings as the scalar provider.
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    /**
     * The loop of {@link #sum} and {@link #dot} (four accumulators over steps of four vectors, lanes combined
     * in order, the tail in double), so that the plane sums are theirs bit for bit; the elementwise outputs
     * are exact products, the same on either path.
     */
    @Override
    public void reluScaleBackward(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float mean, float scale,
                                  float[] dz, int dzOff, float[] dx, int dxOff, float[] planeSums, int n) {
        float negMean = -mean;
        int step = REDUCTION_VECTORS * L;
        int i = n - n % step;
        double s = 0;
        double d = 0;
        if (i > 0) {
            // The sum and dot accumulators lane by lane, each set added in lane order as combine does.
            float[] lanes = planeLanes(2 * step);
            accumulatePlane(y, yOff, g, gOff, x, xOff, negMean, scale, dz, dzOff, dx, dxOff, i, lanes, 0);
            for (int j = 0; j < step; j++) {
                s += lanes[j];
            }
            for (int j = step; j < 2 * step; j++) {
                d += lanes[j];
            }
        }
        for (; i < n; i++) {
            float z = y[yOff + i] > 0f ? g[gOff + i] * 1f : g[gOff + i] * 0f;
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

    /** Scratch of {@link #reluScaleBackwardPlanes}: the planes' vector accumulators lane by lane, and their tails' {@code z}. */
    private static final ThreadLocal<float[][]> PLANE_LANES = ThreadLocal.withInitial(() -> new float[2][0]);

    @Override
    public void reluScaleBackwardPlanes(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float[] mean,
                                        float[] scale, int chOff, int planes, float[] dz, int dzOff, float[] dx, int dxOff,
                                        float[] planeSums, int n) {
        if (planes == 1) {
            reluScaleBackward(y, yOff, g, gOff, x, xOff, mean[chOff], scale[chOff], dz, dzOff, dx, dxOff, planeSums, n);
            return;
        }
        if (planeSums == null) {
            for (int k = 0; k < planes; k++) {
                int at = k * n;
                reluScaleBackward(y, yOff + at, g, gOff + at, x, xOff + at, mean[chOff + k], scale[chOff + k], dz,
                        dzOff + at, dx, dxOff + at, null, n);
            }
            return;
        }
        // A plane's two sums are serial chains of double additions (its accumulators' lanes in order, then
        // its tail), each waiting on the last: on 8x8 and 4x4 planes those chains, not the arithmetic, are
        // the time. Here every plane keeps its own chain in its own order (so the bits of
        // reluScaleBackward), but the planes' chains advance side by side, which the core overlaps.
        int step = REDUCTION_VECTORS * L;
        int whole = n - n % step;
        int chains = 2 * planes;
        int tail = n - whole;
        float[] lanes = planeLanes(chains * step);
        float[][] scratch = PLANE_LANES.get();
        if (scratch[1].length < planes * tail) {
            scratch[1] = new float[planes * tail];
        }
        float[] tailZ = scratch[1];
        double[] acc = new double[chains];
        if (whole > 0) {
            for (int k = 0; k < planes; k++) {
                int at = k * n;
                accumulatePlane(y, yOff + at, g, gOff + at, x, xOff + at, -mean[chOff + k], scale[chOff + k], dz,
                        dzOff + at, dx, dxOff + at, whole, lanes, 2 * k * step);
            }
            for (int m = 0; m < chains; m += 4) {
                combineLanes(lanes, m * step, step, Math.min(4, chains - m), acc, m);
            }
        }
        if (tail > 0) {
            for (int k = 0; k < planes; k++) {
                int at = k * n + whole;
                reluGradientTail(y, yOff + at, g, gOff + at, dz, dzOff + at, dx, dxOff + at, scale[chOff + k], tailZ, k * tail,
                        tail);
            }
            int k = 0;
            for (; k + 2 <= planes; k += 2) {
                tailSums(x, xOff + k * n + whole, n, -mean[chOff + k], -mean[chOff + k + 1], tailZ, k * tail, tail, acc, 2 * k);
            }
            if (k < planes) {
                tailSums(x, xOff + k * n + whole, 0, -mean[chOff + k], -mean[chOff + k], tailZ, k * tail, tail, acc, 2 * k);
            }
        }
        for (int m = 0; m < chains; m++) {
            planeSums[m] = (float) acc[m];
        }
    }

    /** This thread's row of accumulator lanes (see {@link #PLANE_LANES}), at least {@code size} floats. */
    private static float[] planeLanes(int size) {
        float[][] scratch = PLANE_LANES.get();
        if (scratch[0].length < size) {
            scratch[0] = new float[size];
        }
        return scratch[0];
    }

    /**
     * {@code acc[at + m] = Σ_j lanes[off + m·step + j]} for {@code m < count <= 4}, each in index order
     * from zero in double as {@link #combine} adds one accumulator set: up to four chains side by side
     * in registers.
     */
    private static void combineLanes(float[] lanes, int off, int step, int count, double[] acc, int at) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int o1 = off + Math.min(1, count - 1) * step;
        int o2 = off + Math.min(2, count - 1) * step;
        int o3 = off + Math.min(3, count - 1) * step;
        for (int j = 0; j < step; j++) {
            a0 += lanes[off + j];
            a1 += lanes[o1 + j];
            a2 += lanes[o2 + j];
            a3 += lanes[o3 + j];
        }
        acc[at] = a0;
        if (count > 1) {
            acc[at + 1] = a1;
        }
        if (count > 2) {
            acc[at + 2] = a2;
        }
        if (count > 3) {
            acc[at + 3] = a3;
        }
    }

    /**
     * {@code z = g·relu'(y)} of a plane's tail into {@code z} (and {@code dz}, and {@code scale·z} into
     * {@code dx}), in lanes where a whole vector fits: the lanes select the factor 1 or 0 with a mask
     * where the scalar loop branches on the sign of {@code y}, an unpredictable branch on ReLU outputs.
     */
    private static void reluGradientTail(float[] y, int yOff, float[] g, int gOff, float[] dz, int dzOff, float[] dx,
                                         int dxOff, float scale, float[] z, int zOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            reluGradient(y, yOff + i, g, gOff + i, dz, dzOff + i, dx, dxOff + i, scale).intoArray(z, zOff + i);
        }
        for (; i < n; i++) {
            float zi = y[yOff + i] > 0f ? g[gOff + i] * 1f : g[gOff + i] * 0f;
            if (dz != null) {
                dz[dzOff + i] = zi;
            }
            if (dx != null) {
                dx[dxOff + i] = scale * zi;
            }
            z[zOff + i] = zi;
        }
    }

    /**
     * Continues the sums {@code acc[at], acc[at + 1]} (plane a) and {@code acc[at + 2], acc[at + 3]}
     * (plane b, {@code next} floats further in {@code x} and {@code n} in {@code z}) over the tails
     * {@code z}, in index order as {@link #reluScaleBackward}'s tail loop adds them: four independent
     * chains in registers, each a double addition per element. With {@code next == 0} plane b is plane a again and only a's sums are written.
     */
    private static void tailSums(float[] x, int xOff, int next, float negMeanA, float negMeanB, float[] z, int zOff, int n,
                                 double[] acc, int at) {
        double sa = acc[at];
        double da = acc[at + 1];
        boolean two = next != 0;
        double sb = two ? acc[at + 2] : 0;
        double db = two ? acc[at + 3] : 0;
        int zb = zOff + (two ? n : 0);
        for (int i = 0; i < n; i++) {
            float za = z[zOff + i];
            float zbi = z[zb + i];
            sa += za;
            da += (double) za * (x[xOff + i] + negMeanA);
            sb += zbi;
            db += (double) zbi * (x[xOff + next + i] + negMeanB);
        }
        acc[at] = sa;
        acc[at + 1] = da;
        if (two) {
            acc[at + 2] = sb;
            acc[at + 3] = db;
        }
    }

    /**
     * The vector loop of {@link #reluScaleBackward} over {@code [0, whole)} of one plane, its sum and dot
     * accumulators written out lane by lane to {@code lanes} at {@code at} and {@code at + 4L} (the order
     * {@link #combine} adds them in).
     */
    private static void accumulatePlane(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float negMean,
                                        float scale, float[] dz, int dzOff, float[] dx, int dxOff, int whole, float[] lanes,
                                        int at) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        FloatVector s2 = zero;
        FloatVector s3 = zero;
        FloatVector d0 = zero;
        FloatVector d1 = zero;
        FloatVector d2 = zero;
        FloatVector d3 = zero;
        for (int i = 0; i < whole; i += REDUCTION_VECTORS * L) {
            FloatVector z0 = reluGradient(y, yOff + i, g, gOff + i, dz, dzOff + i, dx, dxOff + i, scale);
            FloatVector z1 = reluGradient(y, yOff + i + L, g, gOff + i + L, dz, dzOff + i + L, dx, dxOff + i + L, scale);
            FloatVector z2 = reluGradient(y, yOff + i + 2 * L, g, gOff + i + 2 * L, dz, dzOff + i + 2 * L, dx,
                    dxOff + i + 2 * L, scale);
            FloatVector z3 = reluGradient(y, yOff + i + 3 * L, g, gOff + i + 3 * L, dz, dzOff + i + 3 * L, dx,
                    dxOff + i + 3 * L, scale);
            s0 = s0.add(z0);
            s1 = s1.add(z1);
            s2 = s2.add(z2);
            s3 = s3.add(z3);
            d0 = z0.fma(FloatVector.fromArray(S, x, xOff + i).add(negMean), d0);
            d1 = z1.fma(FloatVector.fromArray(S, x, xOff + i + L).add(negMean), d1);
            d2 = z2.fma(FloatVector.fromArray(S, x, xOff + i + 2 * L).add(negMean), d2);
            d3 = z3.fma(FloatVector.fromArray(S, x, xOff + i + 3 * L).add(negMean), d3);
        }
        int d = at + REDUCTION_VECTORS * L;
        s0.intoArray(lanes, at);
        s1.intoArray(lanes, at + L);
        s2.intoArray(lanes, at + 2 * L);
        s3.intoArray(lanes, at + 3 * L);
        d0.intoArray(lanes, d);
        d1.intoArray(lanes, d + L);
        d2.intoArray(lanes, d + 2 * L);
        d3.intoArray(lanes, d + 3 * L);
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
        int vectorChannels = S.loopBound(channels);
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < pixels; p++) {
            int at = p * channels;
            int c = 0;
            for (; c < vectorChannels; c += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + at + c).mul(FloatVector.fromArray(S, scale, c))
                        .add(FloatVector.fromArray(S, shift, c));
                if (r != null) {
                    v = v.add(FloatVector.fromArray(S, r, rOff + at + c));
                }
                if (relu) {
                    v = zero.blend(v, v.compare(VectorOperators.GT, 0f));
                }
                v.intoArray(out, outOff + at + c);
            }
            for (; c < channels; c++) {
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
        int vectorChannels = S.loopBound(channels);
        // Channel vectors outermost: each one's two sums stay in registers over the pixels, in pixel order
        // lane by lane, which is the scalar provider's order per channel; every cache line is still read once.
        for (int c = 0; c < vectorChannels; c += L) {
            FloatVector sc = FloatVector.fromArray(S, scale, c);
            FloatVector negMean = FloatVector.fromArray(S, mean, c).neg();
            FloatVector s = FloatVector.zero(S);
            FloatVector d = FloatVector.zero(S);
            for (int p = 0; p < pixels; p++) {
                int at = p * channels + c;
                FloatVector z = FloatVector.fromArray(S, g, gOff + at);
                if (y != null) {
                    z = z.mul(FloatVector.zero(S).blend(1f, FloatVector.fromArray(S, y, yOff + at).compare(VectorOperators.GT, 0f)));
                }
                if (dz != null) {
                    z.intoArray(dz, dzOff + at);
                }
                if (dx != null) {
                    sc.mul(z).intoArray(dx, dxOff + at);
                }
                if (sums != null) {
                    s = s.add(z);
                    d = d.add(z.mul(FloatVector.fromArray(S, x, xOff + at).add(negMean)));
                }
            }
            if (sums != null) {
                s.intoArray(sums, c);
                d.intoArray(sums, channels + c);
            }
        }
        if (vectorChannels < channels) {
            for (int c = vectorChannels; c < channels; c++) {
                float s = 0f;
                float d = 0f;
                for (int p = 0; p < pixels; p++) {
                    int at = p * channels + c;
                    float gv = g[gOff + at];
                    float z = y == null ? gv : (y[yOff + at] > 0f ? gv * 1f : gv * 0f);
                    if (dz != null) {
                        dz[dzOff + at] = z;
                    }
                    if (dx != null) {
                        dx[dxOff + at] = scale[c] * z;
                    }
                    s += z;
                    d += z * (x[xOff + at] + -mean[c]);
                }
                if (sums != null) {
                    sums[c] = s;
                    sums[channels + c] = d;
                }
            }
        }
    }

    @Override
    public void planesToPixels(float[] src, int srcOff, int planeStride, int channels, float[] dst, int dstOff,
                               int[] pixelOffsets, int pixels) {
        if (L == ChannelTranspose.TILE) {
            ChannelTranspose.planesToPixels(src, srcOff, planeStride, channels, dst, dstOff, pixelOffsets, pixels);
        } else {
            SCALAR.planesToPixels(src, srcOff, planeStride, channels, dst, dstOff, pixelOffsets, pixels);
        }
    }

    @Override
    public void pixelsToPlanes(float[] src, int srcOff, int[] pixelOffsets, int pixels, int channels, float[] bias,
                               int biasOff, float[] dst, int dstOff, int planeStride) {
        if (L == ChannelTranspose.TILE) {
            ChannelTranspose.pixelsToPlanes(src, srcOff, pixelOffsets, pixels, channels, bias, biasOff, dst, dstOff,
                    planeStride);
        } else {
            SCALAR.pixelsToPlanes(src, srcOff, pixelOffsets, pixels, channels, bias, biasOff, dst, dstOff, planeStride);
        }
    }

    /** {@code g * relu'(y)} for one vector, written to {@code dz} and (scaled) to {@code dx} where those are not null. */
    private static FloatVector reluGradient(float[] y, int yOff, float[] g, int gOff, float[] dz, int dzOff, float[] dx,
                                            int dxOff, float scale) {
        FloatVector mask = FloatVector.zero(S).blend(1f, FloatVector.fromArray(S, y, yOff).compare(VectorOperators.GT, 0f));
        FloatVector z = FloatVector.fromArray(S, g, gOff).mul(mask);
        if (dz != null) {
            z.intoArray(dz, dzOff);
        }
        if (dx != null) {
            z.mul(scale).intoArray(dx, dxOff);
        }
        return z;
    }

    @Override
    public void scaleShiftAddRelu(float scale, float shift, float[] x, int xOff, float[] r, int rOff, float[] out, int outOff,
                                  int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).mul(scale).add(shift);
            if (r != null) {
                v = v.add(FloatVector.fromArray(S, r, rOff + i));
            }
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float v = scale * x[xOff + i] + shift;
            if (r != null) {
                v += r[rOff + i];
            }
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void addScalar(float s, float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] + s;
        }
    }

    // ------------------------------------------------------------ unary elementwise

    @Override
    public void map(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        if (op == UnaryOp.GELU) {
            GeluLanes.map(x, xOff, out, outOff, n);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            lanes(op, FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            // The tail goes through the same lane code on a padded copy, so that every element gets
            // bit-for-bit the same function wherever it sits (EXP/LOG in lanes differ from Math's).
            float[] pad = new float[L];
            System.arraycopy(x, xOff + i, pad, 0, n - i);
            lanes(op, FloatVector.fromArray(S, pad, 0)).intoArray(pad, 0);
            System.arraycopy(pad, 0, out, outOff + i, n - i);
        }
    }

    private static FloatVector lanes(UnaryOp op, FloatVector v) {
        switch (op) {
            case NEG: return v.neg();
            case ABS: return v.abs();
            case SQUARE: return v.mul(v);
            case SQRT: return v.sqrt();
            case EXP: return VectorMath.exp(v);
            case LOG: return VectorMath.log(v);
            // v > 0 ? v : 0, so that NaN maps to 0 exactly as the scalar definition (max would keep NaN).
            case RELU: return FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f));
            default: throw new AssertionError(op);
        }
    }

    @Override
    public void mapBackward(UnaryOp op, float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        if (op == UnaryOp.GELU) {
            GeluLanes.mapBackward(x, xOff, g, gOff, out, outOff, n);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            gv.mul(derivativeLanes(op, xv)).intoArray(out, outOff + i);
        }
        if (i < n) {
            float[] px = new float[L];
            float[] pg = new float[L];
            System.arraycopy(x, xOff + i, px, 0, n - i);
            System.arraycopy(g, gOff + i, pg, 0, n - i);
            FloatVector.fromArray(S, pg, 0).mul(derivativeLanes(op, FloatVector.fromArray(S, px, 0))).intoArray(pg, 0);
            System.arraycopy(pg, 0, out, outOff + i, n - i);
        }
    }

    private static FloatVector derivativeLanes(UnaryOp op, FloatVector v) {
        FloatVector zero = FloatVector.zero(S);
        switch (op) {
            case NEG: return FloatVector.broadcast(S, -1f);
            case ABS: {
                VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
                VectorMask<Float> neg = v.compare(VectorOperators.LT, 0f);
                return zero.blend(1f, pos).blend(-1f, neg);
            }
            case SQUARE: return v.mul(2f);
            case SQRT: return FloatVector.broadcast(S, 0.5f).div(v.sqrt());
            case EXP: return VectorMath.exp(v);
            case LOG: return FloatVector.broadcast(S, 1f).div(v);
            case RELU: return zero.blend(1f, v.compare(VectorOperators.GT, 0f));
            default: throw new AssertionError(op);
        }
    }

    // ------------------------------------------------------------ reductions (fixed order)

    @Override
    public float sum(float[] x, int off, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        int step = REDUCTION_VECTORS * L;
        for (int bound = n - n % step; i < bound; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, x, off + i));
            s1 = s1.add(FloatVector.fromArray(S, x, off + i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
        }
        double s = i == 0 ? 0 : combine(s0, s1, s2, s3); // short rows: the accumulators are still zero
        for (; i < n; i++) {
            s += x[off + i];
        }
        return (float) s;
    }

    @Override
    public float sumSquares(float[] x, int off, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        int step = REDUCTION_VECTORS * L;
        for (int bound = n - n % step; i < bound; i += step) {
            FloatVector v0 = FloatVector.fromArray(S, x, off + i);
            FloatVector v1 = FloatVector.fromArray(S, x, off + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, off + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, off + i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        double s = i == 0 ? 0 : combine(s0, s1, s2, s3); // short rows: the accumulators are still zero
        for (; i < n; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return (float) s;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        int step = REDUCTION_VECTORS * L;
        for (int bound = n - n % step; i < bound; i += step) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), s3);
        }
        double s = i == 0 ? 0 : combine(s0, s1, s2, s3); // short rows: the accumulators are still zero
        for (; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) s;
    }

    /**
     * Two passes over the row, each a method of its own: {@code out = exp(x - shift)}, then the sum of
     * {@code out} in one accumulator (softmax rows are a few hundred floats, too short for four), its lanes
     * added in index order in double. Split so that no vector crosses a call: as one loop with the sum
     * carried through it, C2 (JDK 17) passed the accumulator to the lane sum as a heap-boxed vector and ran
     * parts of exp through the Vector API's allocating fallbacks ({@code jit-budget-2026-12-02.md}). Storing
     * {@code e} and loading it back changes no bit; the tail's padding lanes are zeros in the sum, as the
     * masked-out lanes were.
     */
    @Override
    public float expSum(float shift, float[] x, int xOff, float[] out, int outOff, int n) {
        expShifted(shift, x, xOff, out, outOff, n);
        return (float) sumInLaneOrder(out, outOff, n);
    }

    private static final RowPasses.Pass[] EXP_SHIFTED = {
        VectorMath::expShiftReduce, VectorMath::expPolynomial, VectorMath::expPowersFinish,
    };

    /**
     * {@code out = exp(x - shift)} over {@code n} elements, with {@link VectorMath#exp}'s operations split
     * into passes ({@link RowPasses}: as one loop it reached C2's inlining cutoff in some JVM runs). The
     * tail runs through the same passes on a padded copy, so every element gets the function of
     * {@code map(EXP)}.
     */
    private static void expShifted(float shift, float[] x, int xOff, float[] out, int outOff, int n) {
        RowPasses.run(EXP_SHIFTED, x, xOff, null, 0, out, outOff, n, shift);
    }

    /** The sum of {@code n} floats: one lane accumulator over whole vectors and the zero-padded tail, lanes added in index order in double. */
    private static double sumInLaneOrder(float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, xOff + i));
        }
        if (bound < n) {
            float[] pad = new float[L];
            System.arraycopy(x, xOff + bound, pad, 0, n - bound);
            acc = acc.add(FloatVector.fromArray(S, pad, 0));
        }
        float[] lanes = new float[L];
        acc.intoArray(lanes, 0);
        return inIndexOrder(lanes);
    }

    /**
     * Three passes over the row: the sum (as {@link #sum}), the centred row written out while its squares
     * accumulate in one lane accumulator, and the scale-and-shift. Elementwise steps round as the scalar
     * provider (no fused multiply-add); only the variance's summation order differs from it.
     */
    @Override
    public void layerNormRow(float[] x, int xOff, int n, float eps, float[] gamma, int gammaOff, float[] beta, int betaOff,
                             float[] y, int yOff, float[] stats, int statsOff) {
        float mean = sum(x, xOff, n) / n;
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector c = FloatVector.fromArray(S, x, xOff + i).add(-mean);
            c.intoArray(y, yOff + i);
            acc = c.fma(c, acc);
        }
        double ss = lanesInOrder(acc);
        for (int i = bound; i < n; i++) {
            float c = x[xOff + i] + -mean;
            y[yOff + i] = c;
            ss += (double) c * c;
        }
        float var = (float) ss / n;
        float rstd = (float) (1.0 / Math.sqrt((double) var + eps));
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, yOff + i).mul(rstd);
            if (gamma != null) {
                v = v.mul(FloatVector.fromArray(S, gamma, gammaOff + i));
            }
            if (beta != null) {
                v = v.add(FloatVector.fromArray(S, beta, betaOff + i));
            }
            v.intoArray(y, yOff + i);
        }
        for (int i = bound; i < n; i++) {
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

    /**
     * Two passes: the first recomputes xhat, accumulates the gamma and beta gradients and the two row
     * sums (one lane accumulator each, lanes then added in index order in double); the second writes dx.
     */
    @Override
    public void layerNormBackwardRow(float[] x, int xOff, int n, float mean, float rstd, float[] g, int gOff,
                                     float[] gamma, int gammaOff, float[] dx, int dxOff,
                                     float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
        FloatVector accGx = FloatVector.zero(S);
        FloatVector accGxXhat = FloatVector.zero(S);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, xOff + i).add(-mean).mul(rstd);
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            if (dGamma != null) {
                FloatVector.fromArray(S, dGamma, dGammaOff + i).add(gi.mul(xhat)).intoArray(dGamma, dGammaOff + i);
            }
            if (dBeta != null) {
                FloatVector.fromArray(S, dBeta, dBetaOff + i).add(gi).intoArray(dBeta, dBetaOff + i);
            }
            FloatVector gx = gamma == null ? gi : gi.mul(FloatVector.fromArray(S, gamma, gammaOff + i));
            accGx = accGx.add(gx);
            accGxXhat = gx.fma(xhat, accGxXhat);
        }
        double sumGx = lanesInOrder(accGx);
        double sumGxXhat = lanesInOrder(accGxXhat);
        for (int i = bound; i < n; i++) {
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
        for (int i = 0; i < bound; i += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, xOff + i).add(-mean).mul(rstd);
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            FloatVector gx = gamma == null ? gi : gi.mul(FloatVector.fromArray(S, gamma, gammaOff + i));
            xhat.mul(-meanGxXhat).add(gx).add(-meanGx).mul(rstd).intoArray(dx, dxOff + i);
        }
        for (int i = bound; i < n; i++) {
            float xhat = rstd * (x[xOff + i] + -mean);
            float gi = g[gOff + i];
            float gx = gamma == null ? gi : gi * gamma[gammaOff + i];
            dx[dxOff + i] = rstd * ((-meanGxXhat * xhat + gx) + -meanGx);
        }
    }

    /** The lanes of one accumulator added in index order in double (a fixed order, unlike reduceLanes). */
    private static double lanesInOrder(FloatVector acc) {
        float[] lanes = new float[L];
        acc.intoArray(lanes, 0);
        return inIndexOrder(lanes);
    }

    /** The lanes added in index order in double: the fixed order of every lane reduction here. */
    private static double inIndexOrder(float[] lanes) {
        double s = 0;
        for (float v : lanes) {
            s += v;
        }
        return s;
    }

    /**
     * The fixed combine of the four accumulators: lanes written out and added in index order in double.
     * ({@code reduceLanes(ADD)} would be shorter but its order is unspecified for floats.)
     */
    private static double combine(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
        // A per-thread scratch row: BatchNorm sums every (image, channel) plane, and a new array per call
        // was a tenth of a ResNet18 pass's allocations (C2 does not elide it).
        float[] lanes = LANES.get();
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, L);
        s2.intoArray(lanes, 2 * L);
        s3.intoArray(lanes, 3 * L);
        return inIndexOrder(lanes);
    }

    @Override
    public float max(float[] x, int off, int n) {
        if (n == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        int i = 0;
        float m = x[off];
        if (n >= L) {
            // Lane max has Math.max semantics: a NaN anywhere propagates, as in the scalar definition.
            FloatVector mv = FloatVector.fromArray(S, x, off);
            for (i = L; i <= n - L; i += L) {
                mv = mv.max(FloatVector.fromArray(S, x, off + i));
            }
            m = mv.reduceLanes(VectorOperators.MAX); // max is exact, so its lane order does not matter
        }
        for (; i < n; i++) {
            float v = x[off + i];
            if (v > m || Float.isNaN(v)) {
                m = v;
            }
        }
        return m;
    }

    // ------------------------------------------------------------ accumulate-map: acc += op(x)

    @Override
    public void accumulateMap(UnaryOp op, float[] x, int xOff, float[] acc, int accOff, int n) {
        if (op == UnaryOp.GELU) {
            // GELU has its own lane code; map into a scratch row, then add, so the values are map's.
            float[] mapped = new float[n];
            GeluLanes.map(x, xOff, mapped, 0, n);
            for (int i = 0; i < n; i++) {
                acc[accOff + i] += mapped[i];
            }
            return;
        }
        int i = 0;
        // op then add, two roundings as the scalar provider, so ABS and SQUARE sums are bit-identical across providers.
        for (int bound = S.loopBound(n); i < bound; i += L) {
            lanes(op, FloatVector.fromArray(S, x, xOff + i)).add(FloatVector.fromArray(S, acc, accOff + i))
                    .intoArray(acc, accOff + i);
        }
        if (i < n) {
            // The tail through the same lane code on a padded copy, as map does.
            float[] pad = new float[L];
            System.arraycopy(x, xOff + i, pad, 0, n - i);
            lanes(op, FloatVector.fromArray(S, pad, 0)).intoArray(pad, 0);
            for (int j = 0; i < n; i++, j++) {
                acc[accOff + i] += pad[j];
            }
        }
    }
}
