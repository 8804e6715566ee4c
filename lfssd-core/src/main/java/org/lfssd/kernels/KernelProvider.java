package org.lfssd.kernels;

/**
 * The kernel SPI: every numeric inner loop the library runs goes through one of these.
 *
 * <p>Arrays are addressed as {@code (array, offset)} pairs over {@code n} contiguous elements so that
 * tensors that are views into a larger array need no copies. Outputs may alias inputs exactly
 * (same array, same offset) but must not overlap them partially.
 *
 * <p>Implementations: {@link ScalarKernels} (always present, the definition of correct) and the
 * Vector API provider in {@code org.lfssd.kernels.vector}. Each implementation must be
 * deterministic: the same inputs give bit-identical outputs, and reductions use a fixed order
 * that depends only on {@code n}.
 */
public interface KernelProvider {

    /**
     * Short name for logs: "scalar" or "vector".
     *
     * @return the name
     */
    String name();

    /**
     * SIMD register width in bits used by this provider, 0 for the scalar provider.
     *
     * @return the width, or 0
     */
    int vectorBitSize();

    /**
     * The pure-Java GEMM of this provider (jblas, when enabled, is chosen separately by {@link Kernels#gemm()}).
     *
     * @return the GEMM
     */
    Gemm gemm();

    /**
     * The implicit GEMM behind direct (channels-last) convolution; bit-identical across providers.
     *
     * @return the implicit GEMM
     */
    ImplicitGemm implicitGemm();

    /**
     * The transforms of Winograd F(2x2, 3x3) convolution; bit-identical across providers.
     *
     * @return the transforms
     */
    default WinogradTransforms winogradTransforms() {
        return ScalarWinogradTransforms.INSTANCE;
    }

    // ------------------------------------------------------------ binary elementwise: out = a (op) b

    /**
     * {@code out = a + b} elementwise.
     *
     * @param a      left operand
     * @param aOff   its first element
     * @param b      right operand
     * @param bOff   its first element
     * @param out    the result (may alias an operand at the same offset)
     * @param outOff its first element
     * @param n      the element count
     */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * {@code out = a - b} elementwise.
     *
     * @param a      left operand
     * @param aOff   its first element
     * @param b      right operand
     * @param bOff   its first element
     * @param out    the result (may alias an operand at the same offset)
     * @param outOff its first element
     * @param n      the element count
     */
    void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * {@code out = a * b} elementwise.
     *
     * @param a      left operand
     * @param aOff   its first element
     * @param b      right operand
     * @param bOff   its first element
     * @param out    the result (may alias an operand at the same offset)
     * @param outOff its first element
     * @param n      the element count
     */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * {@code out = a / b} elementwise.
     *
     * @param a      numerator
     * @param aOff   its first element
     * @param b      denominator
     * @param bOff   its first element
     * @param out    the result (may alias an operand at the same offset)
     * @param outOff its first element
     * @param n      the element count
     */
    void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * {@code y += alpha * x}.
     *
     * @param alpha the factor
     * @param x     the added vector
     * @param xOff  its first element
     * @param y     the accumulator
     * @param yOff  its first element
     * @param n     the element count
     */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code out = alpha * x}.
     *
     * @param alpha  the factor
     * @param x      the input
     * @param xOff   its first element
     * @param out    the result
     * @param outOff its first element
     * @param n      the element count
     */
    void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * {@code out = x + s}.
     *
     * @param s      the scalar
     * @param x      the input
     * @param xOff   its first element
     * @param out    the result
     * @param outOff its first element
     * @param n      the element count
     */
    void addScalar(float s, float[] x, int xOff, float[] out, int outOff, int n);

    // ------------------------------------------------------------ unary elementwise

    /**
     * {@code out = op(x)}.
     *
     * @param op     the function
     * @param x      the input
     * @param xOff   its first element
     * @param out    the result
     * @param outOff its first element
     * @param n      the element count
     */
    void map(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * Backward of a unary op: {@code out = g * op'(x)} where {@code x} is the op's input.
     * (For {@link UnaryOp#SQRT}, {@link UnaryOp#EXP} the derivative is computed from {@code x} too.)
     *
     * @param op     the function
     * @param x      the forward input
     * @param xOff   its first element
     * @param g      the gradient of the output
     * @param gOff   its first element
     * @param out    the gradient of the input
     * @param outOff its first element
     * @param n      the element count
     */
    void mapBackward(UnaryOp op, float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n);

    // ------------------------------------------------------------ reductions (fixed order)

    /**
     * The sum of {@code x[off, off + n)}.
     *
     * @param x   the input
     * @param off its first element
     * @param n   the element count
     * @return the sum
     */
    float sum(float[] x, int off, int n);

    /**
     * The sum of squares of {@code x[off, off + n)}.
     *
     * @param x   the input
     * @param off its first element
     * @param n   the element count
     * @return the sum of squares
     */
    float sumSquares(float[] x, int off, int n);

    /**
     * The largest element of {@code x[off, off + n)} (NaN if any is NaN, -∞ if {@code n == 0}).
     *
     * @param x   the input
     * @param off its first element
     * @param n   the element count
     * @return the maximum
     */
    float max(float[] x, int off, int n);

    /**
     * The dot product of {@code a[aOff, aOff + n)} and {@code b[bOff, bOff + n)}.
     *
     * @param a    one vector
     * @param aOff its first element
     * @param b    the other
     * @param bOff its first element
     * @param n    the element count
     * @return the dot product
     */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    // ------------------------------------------------------------ fused row kernels

    /**
     * {@code out = exp(x - shift)} elementwise, returning the sum of the {@code out} values in a fixed
     * order: softmax's exponentiation and normalising sum in one pass over the row instead of three
     * ({@code addScalar}, {@code map(EXP)}, {@code sum}). Each output element is bit-identical to
     * {@code map(EXP)} of {@code x - shift}.
     *
     * @param shift  the value subtracted before exponentiating (softmax passes the row maximum)
     * @param x      the input
     * @param xOff   its first element
     * @param out    receives the exponentials
     * @param outOff its first element
     * @param n      the element count
     * @return the sum of the {@code n} written exponentials
     */
    float expSum(float shift, float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * LayerNorm of one row of {@code n} elements: {@code mean}, biased variance of the centred row,
     * {@code rstd = 1/sqrt(var + eps)} (in double, rounded once), then
     * {@code y = ((x - mean) * rstd) * gamma + beta} rounding after each operation as the separate
     * elementwise kernels do. {@code gamma}, {@code beta} may be null (no scale, no shift). Writes
     * {@code mean} to {@code stats[statsOff]} and {@code rstd} to {@code stats[statsOff + 1]}. Three passes
     * over the row (sum; centre and square; scale and shift) in one call, instead of six kernel calls.
     *
     * @param x        the input row
     * @param xOff     its first element
     * @param n        the row length
     * @param eps      added to the variance before the square root
     * @param gamma    the per-element scale, or null for none
     * @param gammaOff its first element
     * @param beta     the per-element shift, or null for none
     * @param betaOff  its first element
     * @param y        the normalised row
     * @param yOff     its first element
     * @param stats    receives {@code mean} and {@code rstd}
     * @param statsOff the index of {@code mean}; {@code rstd} goes to the next one
     */
    void layerNormRow(float[] x, int xOff, int n, float eps, float[] gamma, int gammaOff, float[] beta, int betaOff,
                      float[] y, int yOff, float[] stats, int statsOff);

    /**
     * LayerNorm backward for one row given its forward {@code mean} and {@code rstd}: with
     * {@code xhat = (x - mean) * rstd} and {@code gx = g * gamma} (or {@code g} when gamma is null),
     * {@code dx = rstd * ((xhat * -mean(gx * xhat) + gx) - mean(gx))}, and
     * {@code dGamma += g * xhat}, {@code dBeta += g} elementwise. Null {@code dx}, {@code dGamma} or
     * {@code dBeta} are skipped. {@code xhat} is recomputed rather than stored.
     *
     * @param x         the forward input row
     * @param xOff      its first element
     * @param n         the row length
     * @param mean      the row's forward mean
     * @param rstd      the row's forward {@code 1/sqrt(var + eps)}
     * @param g         the gradient of the loss with respect to the output row {@code y}
     * @param gOff      its first element
     * @param gamma     the forward scale, or null if there was none
     * @param gammaOff  its first element
     * @param dx        receives the input gradient (overwritten), or null to skip it
     * @param dxOff     its first element
     * @param dGamma    accumulates the scale gradient, or null to skip it
     * @param dGammaOff its first element
     * @param dBeta     accumulates the shift gradient, or null to skip it
     * @param dBetaOff  its first element
     */
    void layerNormBackwardRow(float[] x, int xOff, int n, float mean, float rstd, float[] g, int gOff,
                              float[] gamma, int gammaOff, float[] dx, int dxOff,
                              float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff);

    // ------------------------------------------------------------ accumulate-map: acc += op(x)

    /**
     * {@code out[i] = relu(x[i]·scale + shift + r[i])} ({@code + r[i]} only when {@code r} is not null): an
     * eval-mode BatchNorm plane, the residual and the ReLU in one pass. Each step rounds as {@link #scale},
     * {@link #addScalar}, {@link #add} and {@code map(RELU)} do in turn, so the result is theirs bit for bit
     * (ReLU maps NaN and -0 to +0).
     *
     * @param scale  the factor
     * @param shift  added after scaling
     * @param x      the input
     * @param xOff   its first element
     * @param r      added after the shift, or null
     * @param rOff   its first element (ignored when {@code r} is null)
     * @param out    the output (may alias {@code x} or {@code r} at the same offset)
     * @param outOff its first element
     * @param n      the element count
     */
    void scaleShiftAddRelu(float scale, float shift, float[] x, int xOff, float[] r, int rOff, float[] out, int outOff, int n);

    /**
     * The backward of one {@link #scaleShiftAddRelu} plane in one pass, from its output {@code y}, its input
     * {@code x} and the output gradient {@code g}: {@code dz[i] = g[i]·relu'(y[i])} (as
     * {@code mapBackward(RELU, y, g)}), {@code dx[i] = scale·dz[i]} (as {@link #scale}), and the plane's
     * {@code sum(dz)} and {@code dot(dz, x - mean)} into {@code planeSums[0]} and {@code planeSums[1]} (as
     * {@link #sum}, {@link #addScalar} and {@link #dot}, with their order of additions). Each output is
     * skipped when its array is null. The results are those ops' bit for bit.
     *
     * @param y         the forward output
     * @param yOff      its first element
     * @param g         the gradient of the output
     * @param gOff      its first element
     * @param x         the forward input
     * @param xOff      its first element
     * @param mean      subtracted from {@code x} in the second sum
     * @param scale     the factor of {@code dx}
     * @param dz        the gradient before the ReLU, or null
     * @param dzOff     its first element
     * @param dx        the input gradient, or null
     * @param dxOff     its first element
     * @param planeSums two floats, {@code sum(dz)} and {@code dot(dz, x - mean)}, or null
     * @param n         the element count
     */
    void reluScaleBackward(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float mean, float scale,
                           float[] dz, int dzOff, float[] dx, int dxOff, float[] planeSums, int n);

    /**
     * {@link #scaleShiftAddRelu} over {@code planes} consecutive planes of {@code n} elements, plane
     * {@code k} (at {@code k·n} past each offset) with {@code scale[chOff + k]} and {@code shift[chOff + k]}:
     * bit for bit that many calls, in one, so that the small planes of deep layers (a vector or a few)
     * do not each pay a call and a loop set-up.
     *
     * @param scale  the factors, one per plane
     * @param shift  the shifts, one per plane
     * @param chOff  the index in {@code scale} and {@code shift} of the first plane's values
     * @param planes the number of planes
     * @param x      the input
     * @param xOff   its first element
     * @param r      added after the shift, or null
     * @param rOff   its first element (ignored when {@code r} is null)
     * @param out    the output (may alias {@code x} or {@code r} at the same offset)
     * @param outOff its first element
     * @param n      the elements per plane
     */
    void scaleShiftAddReluPlanes(float[] scale, float[] shift, int chOff, int planes, float[] x, int xOff, float[] r,
                                 int rOff, float[] out, int outOff, int n);

    /**
     * {@link #reluScaleBackward} over {@code planes} consecutive planes of {@code n} elements, plane
     * {@code k} (at {@code k·n} past each offset) with {@code mean[chOff + k]} and {@code scale[chOff + k]},
     * its two sums into {@code planeSums[2k]} and {@code planeSums[2k + 1]}: bit for bit that many calls
     * (every plane's sums in their own order), in one, so that a provider can overlap the planes' serial
     * sums instead of waiting for each in turn.
     *
     * @param y         the forward output
     * @param yOff      its first element
     * @param g         the gradient of the output
     * @param gOff      its first element
     * @param x         the forward input
     * @param xOff      its first element
     * @param mean      subtracted from {@code x} in the second sum, one per plane
     * @param scale     the factors of {@code dx}, one per plane
     * @param chOff     the index in {@code mean} and {@code scale} of the first plane's values
     * @param planes    the number of planes
     * @param dz        the gradient before the ReLU, or null
     * @param dzOff     its first element
     * @param dx        the input gradient, or null
     * @param dxOff     its first element
     * @param planeSums {@code 2·planes} floats, each plane's {@code sum(dz)} and {@code dot(dz, x - mean)}, or null
     * @param n         the elements per plane
     */
    void reluScaleBackwardPlanes(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float[] mean, float[] scale,
                                 int chOff, int planes, float[] dz, int dzOff, float[] dx, int dxOff, float[] planeSums,
                                 int n);

    /**
     * {@link #scaleShiftAddRelu} on channels-last pixels: for {@code p < pixels}, {@code c < channels},
     * element {@code i = p·channels + c} is {@code v = scale[c]·x[i] + shift[c]}, plus {@code r[i]} when
     * {@code r} is not null, then {@code max(v, 0)} when {@code relu} (a multiply and an add, two roundings,
     * so the same bits as the per-plane kernels on the same values).
     *
     * @param scale    the factors, one per channel
     * @param shift    the shifts, one per channel
     * @param channels the channels per pixel (the pixel stride)
     * @param x        the input
     * @param xOff     its first element
     * @param r        added after the shift, or null
     * @param rOff     its first element (ignored when {@code r} is null)
     * @param relu     whether to clamp at zero
     * @param out      the output (may alias {@code x} or {@code r} at the same offset)
     * @param outOff   its first element
     * @param pixels   the pixel count
     */
    void scaleShiftAddReluPixels(float[] scale, float[] shift, int channels, float[] x, int xOff, float[] r, int rOff,
                                 boolean relu, float[] out, int outOff, int pixels);

    /**
     * The backward of {@link #scaleShiftAddReluPixels} on channels-last pixels: element
     * {@code i = p·channels + c} has {@code z = g[i]·relu'(y[i])} ({@code z = g[i]} when {@code y} is null),
     * {@code dz[i] = z}, {@code dx[i] = scale[c]·z}; and per channel the float sums
     * {@code sums[c] = Σ_p z} and {@code sums[channels + c] = Σ_p z·(x[i] + (-mean[c]))}, each added in
     * pixel order from zero, one float rounding per addition (so every provider gives the same bits;
     * callers keep {@code pixels} small and add the blocks' sums in double).
     *
     * @param y        the forward output (its sign is the ReLU mask), or null for no ReLU
     * @param yOff     its first element
     * @param g        the gradient of the output
     * @param gOff     its first element
     * @param x        the forward input
     * @param xOff     its first element
     * @param mean     subtracted from {@code x} in the second sum, one per channel
     * @param scale    the factors of {@code dx}, one per channel
     * @param channels the channels per pixel
     * @param dz       the gradient before the ReLU, or null
     * @param dzOff    its first element
     * @param dx       the input gradient, or null
     * @param dxOff    its first element
     * @param sums     {@code 2·channels} floats, overwritten, or null for no sums
     * @param pixels   the pixel count
     */
    void reluScaleBackwardPixels(float[] y, int yOff, float[] g, int gOff, float[] x, int xOff, float[] mean, float[] scale,
                                 int channels, float[] dz, int dzOff, float[] dx, int dxOff, float[] sums, int pixels);

    // ------------------------------------------------------------ layout transposes (pure copies)

    /**
     * Planes to pixels, the NCHW to channels-last transpose of one image:
     * {@code dst[dstOff + pixelOffsets[p] + c] = src[srcOff + c·planeStride + p]} for {@code c < channels},
     * {@code p < pixels}. Pixel {@code p}'s channels land contiguously wherever its offset puts them, so
     * the destination may have a border, padding channels or gaps between rows (left as they are).
     *
     * @param src          the planes, channel {@code c}'s {@code pixels} values contiguous from {@code srcOff + c·planeStride}
     * @param srcOff       the first plane's first element
     * @param planeStride  floats from one channel's plane to the next
     * @param channels     the channel count
     * @param dst          the channels-last destination
     * @param dstOff       added to every pixel offset
     * @param pixelOffsets where each pixel's channel 0 goes, relative to {@code dstOff}
     * @param pixels       the pixel count, {@code <= pixelOffsets.length}
     */
    void planesToPixels(float[] src, int srcOff, int planeStride, int channels, float[] dst, int dstOff,
                        int[] pixelOffsets, int pixels);

    /**
     * Pixels to planes, the inverse of {@link #planesToPixels}, optionally adding a per-channel bias:
     * {@code dst[dstOff + c·planeStride + p] = src[srcOff + pixelOffsets[p] + c] (+ bias[biasOff + c])}
     * (one float addition, so the same bits as adding it afterwards).
     *
     * @param src          the channels-last source
     * @param srcOff       added to every pixel offset
     * @param pixelOffsets where each pixel's channel 0 is, relative to {@code srcOff}
     * @param pixels       the pixel count, {@code <= pixelOffsets.length}
     * @param channels     the channel count
     * @param bias         per-channel values to add, or null
     * @param biasOff      channel 0's value in {@code bias} (ignored when it is null)
     * @param dst          the planes, channel {@code c}'s from {@code dstOff + c·planeStride}
     * @param dstOff       the first plane's first element
     * @param planeStride  floats from one channel's plane to the next
     */
    void pixelsToPlanes(float[] src, int srcOff, int[] pixelOffsets, int pixels, int channels, float[] bias, int biasOff,
                        float[] dst, int dstOff, int planeStride);

    /**
     * {@code acc += op(x)} elementwise, each {@code op(x)} exactly as {@link #map} computes it, then one add
     * (LFSSD's importance uses {@link UnaryOp#ABS}, SSD's {@link UnaryOp#SQUARE}).
     *
     * @param op     the function
     * @param x      the input
     * @param xOff   its first element
     * @param acc    the accumulator
     * @param accOff its first element
     * @param n      the element count
     */
    void accumulateMap(UnaryOp op, float[] x, int xOff, float[] acc, int accOff, int n);

    /**
     * {@code acc += |g|}.
     *
     * @param g      the gradient
     * @param gOff   its first element
     * @param acc    the accumulator
     * @param accOff its first element
     * @param n      the element count
     * @deprecated the kernel interface does not name the algorithms that use it; use
     *     {@code accumulateMap(UnaryOp.ABS, g, gOff, acc, accOff, n)}, which gives the same bits
     */
    @Deprecated
    default void accumulateAbs(float[] g, int gOff, float[] acc, int accOff, int n) {
        accumulateMap(UnaryOp.ABS, g, gOff, acc, accOff, n);
    }

    /**
     * {@code acc += g * g}.
     *
     * @param g      the gradient
     * @param gOff   its first element
     * @param acc    the accumulator
     * @param accOff its first element
     * @param n      the element count
     * @deprecated the kernel interface does not name the algorithms that use it; use
     *     {@code accumulateMap(UnaryOp.SQUARE, g, gOff, acc, accOff, n)}, which gives the same bits
     */
    @Deprecated
    default void accumulateSquare(float[] g, int gOff, float[] acc, int accOff, int n) {
        accumulateMap(UnaryOp.SQUARE, g, gOff, acc, accOff, n);
    }
}
