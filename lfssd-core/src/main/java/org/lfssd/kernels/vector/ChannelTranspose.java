package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The NCHW {@literal <->} channels-last transposes of {@link org.lfssd.kernels.KernelProvider#planesToPixels}
 * and {@link org.lfssd.kernels.KernelProvider#pixelsToPlanes} in 512-bit registers: 16 channels by 16
 * pixels per tile, loaded as 16 vectors from one side, transposed in registers and stored as 16 vectors
 * on the other. The scalar loops move one float per load and store, striding through one side; a tile
 * moves 256 with 32 vector loads and stores, and both sides touch whole runs of 16 floats.
 *
 * <p>The register transpose swaps bit {@code s} of the row and the column index for {@code s} = 8, 4,
 * 2, 1: rows {@code i} and {@code i + s} exchange the lanes whose index has bit {@code s} set in the
 * one and clear in the other (one lane permutation and one blend each). Pure data movement, so the
 * values are the source's bits (plus one float addition of the bias, as the scalar loop does it).
 *
 * <p>Pixels and channels short of a whole tile go through the scalar loops.
 */
final class ChannelTranspose {
    private ChannelTranspose() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** The tile's side: the lanes of a 512-bit float vector. */
    static final int TILE = 16;

    private static final VectorShuffle<Float> SWAP8 = swap(8);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP1 = swap(1);
    private static final VectorMask<Float> HIGH8 = bitSet(8);
    private static final VectorMask<Float> HIGH4 = bitSet(4);
    private static final VectorMask<Float> HIGH2 = bitSet(2);
    private static final VectorMask<Float> HIGH1 = bitSet(1);
    private static final VectorMask<Float> LOW8 = HIGH8.not();
    private static final VectorMask<Float> LOW4 = HIGH4.not();
    private static final VectorMask<Float> LOW2 = HIGH2.not();
    private static final VectorMask<Float> LOW1 = HIGH1.not();

    /** Lane {@code j} takes lane {@code j ^ s}. */
    private static VectorShuffle<Float> swap(int s) {
        int[] source = new int[TILE];
        for (int j = 0; j < TILE; j++) {
            source[j] = j ^ s;
        }
        return VectorShuffle.fromArray(S, source, 0);
    }

    /** The lanes whose index has bit {@code s} set. */
    private static VectorMask<Float> bitSet(int s) {
        boolean[] set = new boolean[TILE];
        for (int j = 0; j < TILE; j++) {
            set[j] = (j & s) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

    /** See {@link org.lfssd.kernels.KernelProvider#planesToPixels}. */
    static void planesToPixels(float[] src, int srcOff, int planeStride, int channels, float[] dst, int dstOff,
                               int[] pixelOffsets, int pixels) {
        int wholeChannels = channels - channels % TILE;
        int wholePixels = pixels - pixels % TILE;
        for (int c0 = 0; c0 < wholeChannels; c0 += TILE) {
            int s = srcOff + c0 * planeStride;
            for (int p0 = 0; p0 < wholePixels; p0 += TILE) {
                planeTile(src, s + p0, planeStride, dst, dstOff + c0, pixelOffsets, p0);
            }
            scalarPlanesToPixels(src, srcOff, planeStride, c0, c0 + TILE, dst, dstOff, pixelOffsets, wholePixels, pixels);
        }
        scalarPlanesToPixels(src, srcOff, planeStride, wholeChannels, channels, dst, dstOff, pixelOffsets, 0, pixels);
    }

    private static void scalarPlanesToPixels(float[] src, int srcOff, int planeStride, int c0, int c1, float[] dst,
                                             int dstOff, int[] pixelOffsets, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int d = dstOff + pixelOffsets[p];
            for (int c = c0; c < c1; c++) {
                dst[d + c] = src[srcOff + c * planeStride + p];
            }
        }
    }

    /** See {@link org.lfssd.kernels.KernelProvider#pixelsToPlanes}. */
    static void pixelsToPlanes(float[] src, int srcOff, int[] pixelOffsets, int pixels, int channels, float[] bias,
                               int biasOff, float[] dst, int dstOff, int planeStride) {
        int wholeChannels = channels - channels % TILE;
        int wholePixels = pixels - pixels % TILE;
        for (int c0 = 0; c0 < wholeChannels; c0 += TILE) {
            int d = dstOff + c0 * planeStride;
            for (int p0 = 0; p0 < wholePixels; p0 += TILE) {
                pixelTile(src, srcOff + c0, pixelOffsets, p0, bias, biasOff + c0, dst, d + p0, planeStride);
            }
            scalarPixelsToPlanes(src, srcOff, pixelOffsets, wholePixels, pixels, c0, c0 + TILE, bias, biasOff, dst, dstOff,
                    planeStride);
        }
        scalarPixelsToPlanes(src, srcOff, pixelOffsets, 0, pixels, wholeChannels, channels, bias, biasOff, dst, dstOff,
                planeStride);
    }

    private static void scalarPixelsToPlanes(float[] src, int srcOff, int[] pixelOffsets, int p0, int p1, int c0, int c1,
                                             float[] bias, int biasOff, float[] dst, int dstOff, int planeStride) {
        for (int p = p0; p < p1; p++) {
            int s = srcOff + pixelOffsets[p];
            for (int c = c0; c < c1; c++) {
                dst[dstOff + c * planeStride + p] = bias == null ? src[s + c] : src[s + c] + bias[biasOff + c];
            }
        }
    }

    /** Channels {@code src + k·planeStride} (16 pixels each) to pixels {@code dst + pixelOffsets[p0 + k]} (16 channels each), k < 16. */
    private static void planeTile(float[] src, int s, int planeStride, float[] dst, int d, int[] pixelOffsets, int p0) {
        FloatVector r0 = FloatVector.fromArray(S, src, s);
        FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * planeStride);
        FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * planeStride);
        FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * planeStride);
        FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * planeStride);
        FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * planeStride);
        FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * planeStride);
        FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * planeStride);
        FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * planeStride);
        FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * planeStride);
        FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * planeStride);
        FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * planeStride);
        FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * planeStride);
        FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * planeStride);
        FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * planeStride);
        FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * planeStride);
        { FloatVector a = r0, b = r8; r0 = a.blend(b.rearrange(SWAP8), HIGH8); r8 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r1, b = r9; r1 = a.blend(b.rearrange(SWAP8), HIGH8); r9 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r2, b = r10; r2 = a.blend(b.rearrange(SWAP8), HIGH8); r10 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r3, b = r11; r3 = a.blend(b.rearrange(SWAP8), HIGH8); r11 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r4, b = r12; r4 = a.blend(b.rearrange(SWAP8), HIGH8); r12 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r5, b = r13; r5 = a.blend(b.rearrange(SWAP8), HIGH8); r13 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r6, b = r14; r6 = a.blend(b.rearrange(SWAP8), HIGH8); r14 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r7, b = r15; r7 = a.blend(b.rearrange(SWAP8), HIGH8); r15 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r0, b = r4; r0 = a.blend(b.rearrange(SWAP4), HIGH4); r4 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r1, b = r5; r1 = a.blend(b.rearrange(SWAP4), HIGH4); r5 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r2, b = r6; r2 = a.blend(b.rearrange(SWAP4), HIGH4); r6 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r3, b = r7; r3 = a.blend(b.rearrange(SWAP4), HIGH4); r7 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r8, b = r12; r8 = a.blend(b.rearrange(SWAP4), HIGH4); r12 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r9, b = r13; r9 = a.blend(b.rearrange(SWAP4), HIGH4); r13 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r10, b = r14; r10 = a.blend(b.rearrange(SWAP4), HIGH4); r14 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r11, b = r15; r11 = a.blend(b.rearrange(SWAP4), HIGH4); r15 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r0, b = r2; r0 = a.blend(b.rearrange(SWAP2), HIGH2); r2 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r1, b = r3; r1 = a.blend(b.rearrange(SWAP2), HIGH2); r3 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r4, b = r6; r4 = a.blend(b.rearrange(SWAP2), HIGH2); r6 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r5, b = r7; r5 = a.blend(b.rearrange(SWAP2), HIGH2); r7 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r8, b = r10; r8 = a.blend(b.rearrange(SWAP2), HIGH2); r10 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r9, b = r11; r9 = a.blend(b.rearrange(SWAP2), HIGH2); r11 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r12, b = r14; r12 = a.blend(b.rearrange(SWAP2), HIGH2); r14 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r13, b = r15; r13 = a.blend(b.rearrange(SWAP2), HIGH2); r15 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r0, b = r1; r0 = a.blend(b.rearrange(SWAP1), HIGH1); r1 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r2, b = r3; r2 = a.blend(b.rearrange(SWAP1), HIGH1); r3 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r4, b = r5; r4 = a.blend(b.rearrange(SWAP1), HIGH1); r5 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r6, b = r7; r6 = a.blend(b.rearrange(SWAP1), HIGH1); r7 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r8, b = r9; r8 = a.blend(b.rearrange(SWAP1), HIGH1); r9 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r10, b = r11; r10 = a.blend(b.rearrange(SWAP1), HIGH1); r11 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r12, b = r13; r12 = a.blend(b.rearrange(SWAP1), HIGH1); r13 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r14, b = r15; r14 = a.blend(b.rearrange(SWAP1), HIGH1); r15 = b.blend(a.rearrange(SWAP1), LOW1); }
        r0.intoArray(dst, d + pixelOffsets[p0]);
        r1.intoArray(dst, d + pixelOffsets[p0 + 1]);
        r2.intoArray(dst, d + pixelOffsets[p0 + 2]);
        r3.intoArray(dst, d + pixelOffsets[p0 + 3]);
        r4.intoArray(dst, d + pixelOffsets[p0 + 4]);
        r5.intoArray(dst, d + pixelOffsets[p0 + 5]);
        r6.intoArray(dst, d + pixelOffsets[p0 + 6]);
        r7.intoArray(dst, d + pixelOffsets[p0 + 7]);
        r8.intoArray(dst, d + pixelOffsets[p0 + 8]);
        r9.intoArray(dst, d + pixelOffsets[p0 + 9]);
        r10.intoArray(dst, d + pixelOffsets[p0 + 10]);
        r11.intoArray(dst, d + pixelOffsets[p0 + 11]);
        r12.intoArray(dst, d + pixelOffsets[p0 + 12]);
        r13.intoArray(dst, d + pixelOffsets[p0 + 13]);
        r14.intoArray(dst, d + pixelOffsets[p0 + 14]);
        r15.intoArray(dst, d + pixelOffsets[p0 + 15]);
    }

    /**
     * Pixels {@code src + pixelOffsets[p0 + k]} (16 channels each) to channels {@code dst + k·planeStride} (16 pixels
     * each), plus {@code bias[biasAt + k]} unless {@code bias} is null, k < 16.
     */
    private static void pixelTile(float[] src, int s, int[] pixelOffsets, int p0, float[] bias, int biasAt, float[] dst, int d,
                                  int planeStride) {
        FloatVector r0 = FloatVector.fromArray(S, src, s + pixelOffsets[p0]);
        FloatVector r1 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 1]);
        FloatVector r2 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 2]);
        FloatVector r3 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 3]);
        FloatVector r4 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 4]);
        FloatVector r5 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 5]);
        FloatVector r6 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 6]);
        FloatVector r7 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 7]);
        FloatVector r8 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 8]);
        FloatVector r9 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 9]);
        FloatVector r10 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 10]);
        FloatVector r11 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 11]);
        FloatVector r12 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 12]);
        FloatVector r13 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 13]);
        FloatVector r14 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 14]);
        FloatVector r15 = FloatVector.fromArray(S, src, s + pixelOffsets[p0 + 15]);
        { FloatVector a = r0, b = r8; r0 = a.blend(b.rearrange(SWAP8), HIGH8); r8 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r1, b = r9; r1 = a.blend(b.rearrange(SWAP8), HIGH8); r9 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r2, b = r10; r2 = a.blend(b.rearrange(SWAP8), HIGH8); r10 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r3, b = r11; r3 = a.blend(b.rearrange(SWAP8), HIGH8); r11 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r4, b = r12; r4 = a.blend(b.rearrange(SWAP8), HIGH8); r12 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r5, b = r13; r5 = a.blend(b.rearrange(SWAP8), HIGH8); r13 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r6, b = r14; r6 = a.blend(b.rearrange(SWAP8), HIGH8); r14 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r7, b = r15; r7 = a.blend(b.rearrange(SWAP8), HIGH8); r15 = b.blend(a.rearrange(SWAP8), LOW8); }
        { FloatVector a = r0, b = r4; r0 = a.blend(b.rearrange(SWAP4), HIGH4); r4 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r1, b = r5; r1 = a.blend(b.rearrange(SWAP4), HIGH4); r5 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r2, b = r6; r2 = a.blend(b.rearrange(SWAP4), HIGH4); r6 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r3, b = r7; r3 = a.blend(b.rearrange(SWAP4), HIGH4); r7 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r8, b = r12; r8 = a.blend(b.rearrange(SWAP4), HIGH4); r12 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r9, b = r13; r9 = a.blend(b.rearrange(SWAP4), HIGH4); r13 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r10, b = r14; r10 = a.blend(b.rearrange(SWAP4), HIGH4); r14 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r11, b = r15; r11 = a.blend(b.rearrange(SWAP4), HIGH4); r15 = b.blend(a.rearrange(SWAP4), LOW4); }
        { FloatVector a = r0, b = r2; r0 = a.blend(b.rearrange(SWAP2), HIGH2); r2 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r1, b = r3; r1 = a.blend(b.rearrange(SWAP2), HIGH2); r3 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r4, b = r6; r4 = a.blend(b.rearrange(SWAP2), HIGH2); r6 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r5, b = r7; r5 = a.blend(b.rearrange(SWAP2), HIGH2); r7 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r8, b = r10; r8 = a.blend(b.rearrange(SWAP2), HIGH2); r10 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r9, b = r11; r9 = a.blend(b.rearrange(SWAP2), HIGH2); r11 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r12, b = r14; r12 = a.blend(b.rearrange(SWAP2), HIGH2); r14 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r13, b = r15; r13 = a.blend(b.rearrange(SWAP2), HIGH2); r15 = b.blend(a.rearrange(SWAP2), LOW2); }
        { FloatVector a = r0, b = r1; r0 = a.blend(b.rearrange(SWAP1), HIGH1); r1 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r2, b = r3; r2 = a.blend(b.rearrange(SWAP1), HIGH1); r3 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r4, b = r5; r4 = a.blend(b.rearrange(SWAP1), HIGH1); r5 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r6, b = r7; r6 = a.blend(b.rearrange(SWAP1), HIGH1); r7 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r8, b = r9; r8 = a.blend(b.rearrange(SWAP1), HIGH1); r9 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r10, b = r11; r10 = a.blend(b.rearrange(SWAP1), HIGH1); r11 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r12, b = r13; r12 = a.blend(b.rearrange(SWAP1), HIGH1); r13 = b.blend(a.rearrange(SWAP1), LOW1); }
        { FloatVector a = r14, b = r15; r14 = a.blend(b.rearrange(SWAP1), HIGH1); r15 = b.blend(a.rearrange(SWAP1), LOW1); }
        storePlane(r0, bias, biasAt, dst, d);
        storePlane(r1, bias, biasAt + 1, dst, d + 1 * planeStride);
        storePlane(r2, bias, biasAt + 2, dst, d + 2 * planeStride);
        storePlane(r3, bias, biasAt + 3, dst, d + 3 * planeStride);
        storePlane(r4, bias, biasAt + 4, dst, d + 4 * planeStride);
        storePlane(r5, bias, biasAt + 5, dst, d + 5 * planeStride);
        storePlane(r6, bias, biasAt + 6, dst, d + 6 * planeStride);
        storePlane(r7, bias, biasAt + 7, dst, d + 7 * planeStride);
        storePlane(r8, bias, biasAt + 8, dst, d + 8 * planeStride);
        storePlane(r9, bias, biasAt + 9, dst, d + 9 * planeStride);
        storePlane(r10, bias, biasAt + 10, dst, d + 10 * planeStride);
        storePlane(r11, bias, biasAt + 11, dst, d + 11 * planeStride);
        storePlane(r12, bias, biasAt + 12, dst, d + 12 * planeStride);
        storePlane(r13, bias, biasAt + 13, dst, d + 13 * planeStride);
        storePlane(r14, bias, biasAt + 14, dst, d + 14 * planeStride);
        storePlane(r15, bias, biasAt + 15, dst, d + 15 * planeStride);
    }

    /** Stores plane {@code r} of a tile, plus {@code bias[at]} when there is a bias (a constant branch per tile). */
    private static void storePlane(FloatVector r, float[] bias, int at, float[] dst, int d) {
        (bias == null ? r : r.add(bias[at])).intoArray(dst, d);
    }
}
