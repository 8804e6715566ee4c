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
 * <p>A tile goes through two units, {@link #highSwaps} (bits 8 and 4) and {@link #lowSwaps} (bits 2 and
 * 1), with the half-transposed tile in a per-thread L1 row of 256 floats between them, and the bias
 * added by a third. All 160 operations of one tile in one method were past what C2 on JDK 17 inlines in
 * one compilation: the last swaps and the stores stayed calls into the Vector API's Java fallback,
 * boxing every vector (about 10 times slower, and the largest source of garbage in a ResNet18 step; see
 * {@code lfssd-bench/results/zen5-2026-12-02b.md}). Each unit has 96 operations or fewer, and the
 * row addresses come in tables so one unit serves both directions.
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

    /** Each thread's scratch: the tile between its two halves, and the row addresses of both sides. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] tile = new float[TILE * TILE];
        final int[] from = new int[TILE];
        final int[] to = new int[TILE];
    }

    /** See {@link org.lfssd.kernels.KernelProvider#planesToPixels}. */
    static void planesToPixels(float[] src, int srcOff, int planeStride, int channels, float[] dst, int dstOff,
                               int[] pixelOffsets, int pixels) {
        int wholeChannels = channels - channels % TILE;
        int wholePixels = pixels - pixels % TILE;
        Scratch x = SCRATCH.get();
        for (int c0 = 0; c0 < wholeChannels; c0 += TILE) {
            int s = srcOff + c0 * planeStride;
            for (int p0 = 0; p0 < wholePixels; p0 += TILE) {
                for (int k = 0; k < TILE; k++) {
                    x.from[k] = s + k * planeStride + p0;
                    x.to[k] = dstOff + c0 + pixelOffsets[p0 + k];
                }
                highSwaps(src, x.from, x.tile);
                lowSwaps(x.tile, dst, x.to);
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
        Scratch x = SCRATCH.get();
        for (int c0 = 0; c0 < wholeChannels; c0 += TILE) {
            int d = dstOff + c0 * planeStride;
            for (int p0 = 0; p0 < wholePixels; p0 += TILE) {
                for (int k = 0; k < TILE; k++) {
                    x.from[k] = srcOff + c0 + pixelOffsets[p0 + k];
                    x.to[k] = d + k * planeStride + p0;
                }
                highSwaps(src, x.from, x.tile);
                lowSwaps(x.tile, dst, x.to);
                if (bias != null) {
                    addBias(dst, x.to, bias, biasOff + c0);
                }
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

    /** Rows {@code src + rows[k]}, k < 16, with bits 8 and 4 of row and lane swapped, into {@code tile} (16 x 16). */
    private static void highSwaps(float[] src, int[] rows, float[] tile) {
        FloatVector r0 = FloatVector.fromArray(S, src, rows[0]);
        FloatVector r1 = FloatVector.fromArray(S, src, rows[1]);
        FloatVector r2 = FloatVector.fromArray(S, src, rows[2]);
        FloatVector r3 = FloatVector.fromArray(S, src, rows[3]);
        FloatVector r4 = FloatVector.fromArray(S, src, rows[4]);
        FloatVector r5 = FloatVector.fromArray(S, src, rows[5]);
        FloatVector r6 = FloatVector.fromArray(S, src, rows[6]);
        FloatVector r7 = FloatVector.fromArray(S, src, rows[7]);
        FloatVector r8 = FloatVector.fromArray(S, src, rows[8]);
        FloatVector r9 = FloatVector.fromArray(S, src, rows[9]);
        FloatVector r10 = FloatVector.fromArray(S, src, rows[10]);
        FloatVector r11 = FloatVector.fromArray(S, src, rows[11]);
        FloatVector r12 = FloatVector.fromArray(S, src, rows[12]);
        FloatVector r13 = FloatVector.fromArray(S, src, rows[13]);
        FloatVector r14 = FloatVector.fromArray(S, src, rows[14]);
        FloatVector r15 = FloatVector.fromArray(S, src, rows[15]);
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
        r0.intoArray(tile, 0);
        r1.intoArray(tile, 16);
        r2.intoArray(tile, 32);
        r3.intoArray(tile, 48);
        r4.intoArray(tile, 64);
        r5.intoArray(tile, 80);
        r6.intoArray(tile, 96);
        r7.intoArray(tile, 112);
        r8.intoArray(tile, 128);
        r9.intoArray(tile, 144);
        r10.intoArray(tile, 160);
        r11.intoArray(tile, 176);
        r12.intoArray(tile, 192);
        r13.intoArray(tile, 208);
        r14.intoArray(tile, 224);
        r15.intoArray(tile, 240);
    }

    /** The rows of {@code tile} with bits 2 and 1 of row and lane swapped, to {@code dst + rows[k]}, k < 16. */
    private static void lowSwaps(float[] tile, float[] dst, int[] rows) {
        FloatVector r0 = FloatVector.fromArray(S, tile, 0);
        FloatVector r1 = FloatVector.fromArray(S, tile, 16);
        FloatVector r2 = FloatVector.fromArray(S, tile, 32);
        FloatVector r3 = FloatVector.fromArray(S, tile, 48);
        FloatVector r4 = FloatVector.fromArray(S, tile, 64);
        FloatVector r5 = FloatVector.fromArray(S, tile, 80);
        FloatVector r6 = FloatVector.fromArray(S, tile, 96);
        FloatVector r7 = FloatVector.fromArray(S, tile, 112);
        FloatVector r8 = FloatVector.fromArray(S, tile, 128);
        FloatVector r9 = FloatVector.fromArray(S, tile, 144);
        FloatVector r10 = FloatVector.fromArray(S, tile, 160);
        FloatVector r11 = FloatVector.fromArray(S, tile, 176);
        FloatVector r12 = FloatVector.fromArray(S, tile, 192);
        FloatVector r13 = FloatVector.fromArray(S, tile, 208);
        FloatVector r14 = FloatVector.fromArray(S, tile, 224);
        FloatVector r15 = FloatVector.fromArray(S, tile, 240);
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
        r0.intoArray(dst, rows[0]);
        r1.intoArray(dst, rows[1]);
        r2.intoArray(dst, rows[2]);
        r3.intoArray(dst, rows[3]);
        r4.intoArray(dst, rows[4]);
        r5.intoArray(dst, rows[5]);
        r6.intoArray(dst, rows[6]);
        r7.intoArray(dst, rows[7]);
        r8.intoArray(dst, rows[8]);
        r9.intoArray(dst, rows[9]);
        r10.intoArray(dst, rows[10]);
        r11.intoArray(dst, rows[11]);
        r12.intoArray(dst, rows[12]);
        r13.intoArray(dst, rows[13]);
        r14.intoArray(dst, rows[14]);
        r15.intoArray(dst, rows[15]);
    }

    /** {@code dst[rows[k] + j] += bias[at + k]} for the 16 planes of a tile, after the transpose: the same one addition. */
    private static void addBias(float[] dst, int[] rows, float[] bias, int at) {
        for (int k = 0; k < TILE; k++) {
            FloatVector.fromArray(S, dst, rows[k]).add(bias[at + k]).intoArray(dst, rows[k]);
        }
    }
}
