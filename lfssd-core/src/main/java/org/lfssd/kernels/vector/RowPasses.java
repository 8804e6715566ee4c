package org.lfssd.kernels.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Runs a lane kernel that is too long for one C2 compilation as a sequence of short passes over each chunk
 * of a row ({@link GeluLanes}, softmax's exp in {@link VectorKernels#expSum}). A pass is a static method
 * with a loop over the chunk that reads its operands from the chunk or from per-thread scratch rows and
 * writes its results to scratch rows; only arrays and indices cross between passes, never a vector.
 *
 * <p>Why: on JDK 17, C2 parses a compilation until it has created {@code NodeCountInliningCutoff} (18000)
 * nodes and then delays the remaining {@code @ForceInline} Vector API methods to incremental inlining.
 * GELU's {@code exp(-u^2/2)} and softmax's exp, about 35 operations each in one loop, reached that cutoff
 * in some JVM runs and not in others (the count depends on profiles); in a run where the split fell inside
 * their last operations, the final store stayed a call on a heap-boxed vector and the operations ran
 * through the API's Java fallback (4x slower, a young collection per ViT-Tiny 224 step;
 * {@code lfssd-bench/results/gelu-units-2026-12-02.md}). A pass here has at most 18 Vector API operations
 * (loads, stores, broadcasts and lane operations counted alike), about half of those loops, so its
 * compilation stays clear of the cutoff. Keep new passes under about 22. Every scratch row a value goes through costs a store and a load
 * per vector, which is most of what the passes cost against one fused loop, so the split points are
 * where few values are live: GELU runs as 5 passes ({@link GeluLanes}), softmax's exp as 3
 * ({@link VectorMath#expShiftReduce}).
 *
 * <p>Every pass is called from the one call site in {@link #runPasses}, which sees many receiver
 * classes: C2 does not inline any of them there (it inlines at most two profiled receivers, or one that
 * takes 90 % of the calls), so passes are never compiled together into one large method, whichever
 * method C2 compiles first. Each pass array has its own method references, so each entry is a class of
 * its own: 13 in all (GELU forward 5, backward 5, exp 3). Each kernel has at least three passes, called
 * equally often, so that the site stays megamorphic even in a program that uses only one of them (say,
 * only softmax's exp): do not merge any kernel down to two passes. Storing a float or int lane to a row
 * and loading it back changes no bit, so every element gets exactly the operations of the fused loop, in
 * the same order.
 */
final class RowPasses {
    private RowPasses() {}

    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /**
     * Elements per pass: the chunk's scratch rows (7 KiB) and its part of the operands stay in L1. 128 and
     * 512 were not faster (gelu-units-2026-12-02.md).
     */
    static final int CHUNK = 256;

    /** One pass over the first {@code count} elements of the current chunk ({@code count} a multiple of the lanes). */
    @FunctionalInterface
    interface Pass {
        void run(Rows w, int count);
    }

    /**
     * A thread's operands for the current chunk ({@code x} at {@code xOff}, optional {@code g} at
     * {@code gOff}, {@code out} at {@code outOff}, a scalar {@code shift}) and its scratch rows, indexed
     * from 0 for the chunk. The row names are those of the GELU and exp values they carry ({@code r} only
     * exp's, {@code loHalf}, {@code e}, {@code h} only GELU's).
     */
    static final class Rows {
        float[] x;
        int xOff;
        float[] g;
        int gOff;
        float[] out;
        int outOff;
        float shift;

        final float[] a = new float[CHUNK];
        final float[] loHalf = new float[CHUNK];
        final float[] r = new float[CHUNK];
        final int[] n = new int[CHUNK];
        final float[] q = new float[CHUNK];
        final float[] e = new float[CHUNK];
        final float[] h = new float[CHUNK];

        /** Zero-padded copies of a row's last partial vector. */
        final float[] padX = new float[L];
        final float[] padG = new float[L];
    }

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    /**
     * Runs {@code passes} over {@code n} elements: {@code x} from {@code xOff}, {@code g} (or null) from
     * {@code gOff}, results into {@code out} from {@code outOff}; {@code out} may be {@code x} or
     * {@code g}. The last partial vector goes through the same passes on a zero-padded copy, so every
     * element gets bit-for-bit the same function wherever it sits.
     */
    static void run(Pass[] passes, float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n,
                    float shift) {
        Rows w = ROWS.get();
        w.shift = shift;
        int bound = n - n % L;
        for (int c = 0; c < bound; c += CHUNK) {
            w.x = x;
            w.xOff = xOff + c;
            w.g = g;
            w.gOff = gOff + c;
            w.out = out;
            w.outOff = outOff + c;
            runPasses(passes, w, Math.min(CHUNK, bound - c));
        }
        if (bound < n) {
            int rest = n - bound;
            Arrays.fill(w.padX, 0f);
            System.arraycopy(x, xOff + bound, w.padX, 0, rest);
            w.x = w.padX;
            w.xOff = 0;
            float[] padOut = w.padX;
            w.g = null;
            if (g != null) {
                Arrays.fill(w.padG, 0f);
                System.arraycopy(g, gOff + bound, w.padG, 0, rest);
                padOut = w.padG;
                w.g = w.padG;
            }
            w.gOff = 0;
            w.out = padOut;
            w.outOff = 0;
            runPasses(passes, w, L);
            System.arraycopy(padOut, 0, out, outOff + bound, rest);
        }
        w.x = null; // the caller's arrays are not kept reachable from the thread
        w.g = null;
        w.out = null;
    }

    /** The single call site of all passes (see the class comment); keep it the only one. */
    private static void runPasses(Pass[] passes, Rows w, int count) {
        for (Pass pass : passes) {
            pass.run(w, count);
        }
    }
}
