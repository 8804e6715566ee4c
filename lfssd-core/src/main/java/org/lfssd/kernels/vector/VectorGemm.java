package org.lfssd.kernels.vector;

import java.util.Arrays;
import java.util.Objects;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.GemmEpilogue;
import org.lfssd.kernels.Parallel;

/**
 * The SIMD GEMM: cache-blocked, packed, with a register-blocked {@link MicroKernel}, in the classic
 * layered scheme (Goto; BLIS): for each {@code NC}-wide column block of C and each slice of k (equal
 * slices of at most {@code KC}), B's slice is packed once into column panels, then for each
 * {@code MC}-high row block A's slice is packed into row panels, and the micro-kernel sweeps the block
 * tile by tile. {@code beta} is applied with the first k slice's update, so C is never swept separately.
 * A transposed A (the weight gradients' {@code dY^T}) is not packed where its rows are short: its stored
 * layout is already the panel layout at a different stride per k step, so the micro-kernel reads it in
 * place ({@link #readsTransposedAInPlace}).
 *
 * <p>Blocking for one core of this class of CPU (48 KiB L1d, 2 MiB L2): an {@code MR x KC} A panel
 * (12 KiB) stays in L1 while the micro-kernel walks along all the B panels of the slice; the
 * {@code MC x KC} packed A block (240 KiB) and the {@code KC x NC} packed B slice (1 MiB) stay in L2.
 *
 * <p>Threads: C is cut into a grid of at most {@value #MAX_TASKS} blocks that depends only on
 * {@code m, n, k} (four for large products, more where the extra cuts repack little), or, for a small C with
 * a long k, k is cut into a few chunks summed in order ({@link DepthSplit}). Each grid block is one
 * {@link Parallel} task that runs the blocked algorithm above on its own rows and columns with its own
 * (thread-local) packing buffers, except that where the grid cuts rows, all of B is packed once up front
 * and shared by the tasks ({@link SharedPanels}); every C element accumulates over the same k slices in ascending
 * order whichever task and thread computes it, so results are bit-identical for any thread count.
 * Small problems (one task) run on the calling thread.
 *
 * <p>Where the time goes: the 12 x 32 micro-kernel is the fastest of the tile shapes tried on
 * cache-resident panels; inside the sweep the rest goes to the per-tile C update (a 1024^2 C does not stay
 * in L2 between k slices) and the tile round trip. Transposing packs gather lanes (see
 * {@link GemmPacking}), which keeps packing a small share of a cube's time. The im2col products stream
 * one operand of 150 MB (576 x 65536) from memory once, so those shapes are bound by memory bandwidth,
 * not by the micro-kernel. The measurements behind these choices are in
 * {@code lfssd-bench/results/gemm-design-2026-11.md}.
 */
final class VectorGemm implements Gemm {
    private static final int MR = MicroKernel.MR;
    private static final int NR = MicroKernel.NR;
    static final int KC = 256;
    static final int MC = 20 * MR;
    static final int NC = 32 * NR;

    /** Below this many multiply-adds the fork/join overhead outweighs a second thread. */
    private static final long MIN_TASK_WORK = 1L << 22;
    /**
     * Tasks a product is cut into whatever the repacking costs (if it is large enough): with four tasks
     * on two threads, a thread that is slowed down (the host is shared) leaves at most a quarter of the
     * work to wait for.
     */
    private static final int BALANCED_TASKS = 4;
    /** The most tasks; more balance load better, and past this the per-task overhead shows. */
    private static final int MAX_TASKS = 16;
    /**
     * Cuts beyond {@link #BALANCED_TASKS} are made only while the extra packing they cause stays below
     * this fraction of the multiply-adds: a packed element costs about as much as 75 multiply-adds at the
     * micro-kernel's rate (lfssd-bench/results/gemm-design-2026-11.md), so 1/2048 keeps the extra packing a
     * few percent of the multiply time. In practice this
     * lets the wide im2col products (few rows, tens of thousands of columns, where a cut repacks only the
     * small A) use all {@value #MAX_TASKS} tasks, and keeps cubes and the K-heavy weight-gradient
     * products at four.
     */
    private static final long REPACK_BUDGET = 2048;

    /** Per-thread packing buffers and the micro-kernel's output tile, reused across calls. */
    private static final class Buffers {
        final float[] packedA = new float[MC * KC + GemmPacking.A_OVERRUN];
        final float[] packedB = new float[NC * KC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public String name() {
        return "java-vector-" + MicroKernel.S.vectorBitSize();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }

    /** Runs the epilogue on each {@code MC x NC} block of C right after its last k slice, while it is in L2. */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                Objects.requireNonNull(epilogue, "sgemm: epilogue"));
    }

    /**
     * All of op(B) in the panels {@link #packAllOfB} makes, which every product reads as it reads B packed
     * per product (the same panels, so the same bits): a Linear weight packed once for a whole pass.
     */
    private record Panels(int k, int n, float[] panels) implements Gemm.PackedB {}

    @Override
    public Gemm.PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        Gemm.checkPackArgs(transB, k, n, b, bOff, ldb);
        float[] panels = new float[roundUp(n, NR) * k];
        if (k > 0 && n > 0) {
            packAllOfB(transB, b, bOff, ldb, n, k, panels);
        }
        return new Panels(k, n, panels);
    }

    @Override
    public void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      Gemm.PackedB b, float beta, float[] c, int cOff, int ldc) {
        multiplyPacked(transA, m, n, k, alpha, a, aOff, lda, b, beta, c, cOff, ldc, null);
    }

    @Override
    public void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      Gemm.PackedB b, float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        multiplyPacked(transA, m, n, k, alpha, a, aOff, lda, b, beta, c, cOff, ldc,
                Objects.requireNonNull(epilogue, "sgemm: epilogue"));
    }

    private void multiplyPacked(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                Gemm.PackedB b, float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        if (!(b instanceof Panels p)) {
            throw new IllegalArgumentException("sgemm: the packed B " + (b == null ? "null" : b.getClass().getName())
                    + " was not made by " + name());
        }
        Gemm.checkPackedArgs(transA, m, n, k, a, aOff, lda, b, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (DepthSplit.of(m, n, k).chunks() > 1) {
            // The depth chunks slice k differently from the panels; this product (small C, k >= 2048) is
            // rare for a weight, so it takes the plain path on op(B) copied back out of the panels: the
            // same values packed the same way, so the same bits.
            float[] plain = unpack(p);
            multiply(transA, false, m, n, k, alpha, a, aOff, lda, plain, 0, n, beta, c, cOff, ldc, epilogue);
            return;
        }
        runGrid(transA, false, m, n, k, alpha, a, aOff, lda, null, 0, 0, new AllOfB(p.panels(), roundUp(n, NR)),
                beta, c, cOff, ldc, epilogue);
    }

    /** op(B), {@code k x n} row-major, read back out of the panels {@link #packAllOfB} made. */
    private static float[] unpack(Panels p) {
        int k = p.k();
        int n = p.n();
        int paddedN = roundUp(n, NR);
        int kSlice = kSlice(k);
        float[] out = new float[k * n];
        for (int p0 = 0; p0 < k; p0 += kSlice) {
            int kc = Math.min(kSlice, k - p0);
            for (int j = 0; j < n; j++) {
                int panel = paddedN * p0 + (j - j % NR) * kc + j % NR;
                for (int q = 0; q < kc; q++) {
                    out[(p0 + q) * n + j] = p.panels()[panel + q * NR];
                }
            }
        }
        return out;
    }

    private static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        Gemm.checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        DepthSplit depth = DepthSplit.of(m, n, k);
        if (depth.chunks() > 1) {
            multiplyInDepthChunks(depth, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    epilogue);
            return;
        }
        SharedPanels shared = TaskGrid.of(m, n, k).rows() > 1 ? SharedPanels.claim(n, k) : null;
        try {
            AllOfB packedB = null;
            if (shared != null) {
                packedB = new AllOfB(shared.panels, roundUp(n, NR));
                packAllOfB(transB, b, bOff, ldb, n, k, packedB.panels());
            }
            runGrid(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, packedB, beta, c, cOff, ldc, epilogue);
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
    }

    /**
     * Runs the {@link TaskGrid} of the product, each task one block of C; {@code sharedB}, if not null, holds
     * all of op(B) packed (and {@code b} is then not read).
     */
    private static void runGrid(boolean transA, boolean transB, int m, int n, int k,
                                float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, AllOfB sharedB,
                                float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        TaskGrid grid = TaskGrid.of(m, n, k);
        Parallel.forEach(grid.tasks(), t -> {
            int i0 = (t / grid.cols) * grid.rowsPerTask;
            int j0 = (t % grid.cols) * grid.colsPerTask;
            int i1 = Math.min(m, i0 + grid.rowsPerTask);
            int j1 = Math.min(n, j0 + grid.colsPerTask);
            multiplyBlock(transA, transB, i0, i1, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, sharedB,
                    beta, c, cOff, ldc, epilogue);
        });
    }

    /**
     * The calling thread's buffer for all of op(B) packed once, shared read-only by the tasks of one product.
     * Where the grid cuts C's rows, each row of tasks would otherwise pack the same B panels again: the
     * B of a ViT layer (a weight, or the layer input in the weight gradient) was packed four times per
     * product, and on two threads both threads spent that time on the same copies. Packed up front (its
     * panels cut among the tasks), every panel is packed once. Products whose packed B would exceed
     * {@link #MAX_FLOATS} (the wide im2col operands) keep packing per task, slice by slice.
     *
     * <p>Not a {@link org.lfssd.kernels.Workspace} slot: a buffer that the product's tasks read until it
     * returns must not be handed to a second product started on the same thread meanwhile (from an
     * epilogue, say); {@link #claim} sees that and lets the inner product pack per task instead.
     */
    private static final class SharedPanels {
        /** 16 MiB: all of B for the ViT-Tiny layers (at most 768 x 3152) and the 1024^3 cube. */
        static final long MAX_FLOATS = 1L << 22;
        private static final ThreadLocal<SharedPanels> MINE = ThreadLocal.withInitial(SharedPanels::new);

        float[] panels = new float[0];
        private boolean claimed;

        /** Whether op(B) of {@code k x n} may be packed once for all tasks (k > 0, and not too large). */
        static boolean fits(int n, int k) {
            return k > 0 && (long) roundUp(n, NR) * k <= MAX_FLOATS;
        }

        /** This thread's buffer sized for op(B) of {@code k x n}, or null if too large or already claimed. */
        static SharedPanels claim(int n, int k) {
            if (!fits(n, k)) {
                return null;
            }
            long size = (long) roundUp(n, NR) * k;
            SharedPanels mine = MINE.get();
            if (mine.claimed) {
                return null;
            }
            if (mine.panels.length < size) {
                mine.panels = new float[(int) size];
            }
            mine.claimed = true;
            return mine;
        }

        void release() {
            claimed = false;
        }
    }

    /** All of op(B) packed by {@link #packAllOfB}, whose slices are {@code paddedColumns} wide. */
    private record AllOfB(float[] panels, int paddedColumns) {}

    /** Floats of packed B per packing task of {@link #packAllOfB}: enough to amortise handing a task over. */
    private static final int PACK_TASK_FLOATS = 1 << 15;

    /**
     * Packs all of {@code op(B)} ({@code k x n}) into {@code dst} in the layout {@link #multiplyBlock} reads:
     * k slice {@code s} (depth {@code kc}, from {@code p0 = s * kSlice}) starts at {@code roundUp(n, NR) * p0}
     * and holds the slice's {@code NR}-column panels one after another, as {@link GemmPacking#packB} makes
     * them. Tasks pack disjoint groups of panels; packing is a copy, so how it is cut changes no result.
     */
    private static void packAllOfB(boolean transB, float[] b, int bOff, int ldb, int n, int k, float[] dst) {
        int kSlice = kSlice(k);
        int slices = ceilDiv(k, kSlice);
        int panels = ceilDiv(n, NR);
        int panelsPerTask = Math.max(1, PACK_TASK_FLOATS / (NR * kSlice));
        int groups = ceilDiv(panels, panelsPerTask);
        int paddedN = panels * NR;
        Parallel.forEach(slices * groups, t -> {
            int p0 = (t / groups) * kSlice;
            int kc = Math.min(kSlice, k - p0);
            int j0 = (t % groups) * panelsPerTask * NR;
            int nc = Math.min(panelsPerTask * NR, n - j0);
            GemmPacking.packB(transB, b, bOff, ldb, p0, kc, j0, nc, dst, paddedN * p0 + j0 * kc);
        });
    }

    /** The depth of each k slice: equal slices of at most {@code KC}. */
    private static int kSlice(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /**
     * How C is cut into tasks: {@code rows x cols} blocks of {@code rowsPerTask x colsPerTask} (the last
     * ones shorter). Block sizes are multiples of the micro-tile so that only the matrix edges have
     * partial tiles.
     */
    record TaskGrid(int rows, int cols, int rowsPerTask, int colsPerTask) {
        int tasks() {
            return rows * cols;
        }

        static TaskGrid of(int m, int n, int k) {
            long work = (long) m * n * k;
            int maxTasks = (int) Math.min(MAX_TASKS, Math.max(1, work / MIN_TASK_WORK));
            int tm = 1;
            int tn = 1;
            // Each task packs the A rows it needs once per NC columns and the B columns it needs once per
            // MC rows, so cutting rows repacks B and cutting columns repacks A. Halving the longer side
            // keeps blocks square-ish, which keeps the total repacking (about tn*m*k + tm*k*n elements)
            // smallest for a given number of tasks. Blocks stay at least two micro-tiles across. The
            // result depends on the sizes alone.
            //
            // Where B is packed once for all tasks (SharedPanels) and is one block (at most KC x NC), a
            // row cut costs nothing: each task reads the shared panels, which stay in L2 from one task to
            // the next on a thread. Such products (the ViT layers with 192 in-features) are cut by rows
            // first, into more tasks, which two threads share more evenly. A larger B would stream through
            // the cache again for every task, so those keep the rule above.
            boolean rowCutsFree = k <= KC && n <= NC && SharedPanels.fits(n, k);
            while (tm * tn * 2 <= maxTasks) {
                int rows = ceilDiv(m, tm);
                int cols = ceilDiv(n, tn);
                boolean rowsSplittable = rows >= 2 * 2 * MR;
                boolean colsSplittable = cols >= 2 * 2 * NR;
                int nextTm = tm;
                int nextTn = tn;
                if (rowsSplittable && (rows >= cols || !colsSplittable || rowCutsFree)) {
                    nextTm *= 2;
                } else if (colsSplittable) {
                    nextTn *= 2;
                } else {
                    break;
                }
                long repacked = (long) (nextTn - 1) * m * k + (rowCutsFree ? 0L : (long) (nextTm - 1) * k * n);
                if (tm * tn >= BALANCED_TASKS && repacked > work / REPACK_BUDGET) {
                    break;
                }
                tm = nextTm;
                tn = nextTn;
            }
            int rowsPerTask = roundUp(ceilDiv(m, tm), MR);
            int colsPerTask = roundUp(ceilDiv(n, tn), NR);
            return new TaskGrid(ceilDiv(m, rowsPerTask), ceilDiv(n, colsPerTask), rowsPerTask, colsPerTask);
        }
    }

    /**
     * The alternative to a {@link TaskGrid} for products whose C is small next to their depth (the
     * weight gradients of the im2col convolutions, e.g. 64 x 576 x 65536): k is cut into {@code chunks}
     * consecutive ranges of {@code depthPerChunk}, each chunk's product goes to its own partial C, and the
     * partials are summed in chunk order. Cutting C instead would have every task repack its share of
     * the long operands, and on this memory-bound shape that packing is the larger cost. The cut depends
     * on the sizes alone, and each element's sum runs in one fixed order (ascending k within a chunk,
     * chunks in order), so results are bit-identical for any thread count.
     */
    record DepthSplit(int chunks, int depthPerChunk) {
        /**
         * Partial C buffers are bounded to this many floats each (256 KiB, so they stay in L2 next to the
         * packing buffers): measured against the grid, the depth cut won where partials stay that small
         * and lost where they do not (lfssd-bench/results/gemm-design-2026-11.md).
         */
        private static final long MAX_PARTIAL = 1 << 16;

        static DepthSplit of(int m, int n, int k) {
            DepthSplit none = new DepthSplit(1, k);
            long work = (long) m * n * k;
            long cSize = (long) m * n;
            if (work < BALANCED_TASKS * MIN_TASK_WORK || k < BALANCED_TASKS * 2 * KC || cSize > MAX_PARTIAL) {
                return none;
            }
            TaskGrid grid = TaskGrid.of(m, n, k);
            // what the grid packs on top of packing each operand once, against what the partials cost:
            // each is written once and read back once by the sum
            long gridRepacking = (long) (grid.cols() - 1) * m * k + (long) (grid.rows() - 1) * k * n;
            long partialTraffic = 2L * BALANCED_TASKS * cSize;
            if (grid.tasks() >= BALANCED_TASKS && gridRepacking <= partialTraffic) {
                return none;
            }
            int perChunk = roundUp(ceilDiv(k, BALANCED_TASKS), KC);
            return new DepthSplit(ceilDiv(k, perChunk), perChunk);
        }
    }

    private static void multiplyInDepthChunks(DepthSplit depth, boolean transA, boolean transB, int m, int n, int k,
                                              float alpha, float[] a, int aOff, int lda,
                                              float[] b, int bOff, int ldb,
                                              float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        float[][] partial = new float[depth.chunks()][];
        Parallel.forEach(depth.chunks(), t -> {
            int p0 = t * depth.depthPerChunk();
            int depthHere = Math.min(depth.depthPerChunk(), k - p0);
            float[] part = new float[m * n];
            int aChunk = transA ? aOff + p0 * lda : aOff + p0;
            int bChunk = transB ? bOff + p0 : bOff + p0 * ldb;
            multiplyBlock(transA, transB, 0, m, 0, n, depthHere, 1f, a, aChunk, lda, b, bChunk, ldb, null,
                    0f, part, 0, n, null);
            partial[t] = part;
        });
        // rows of C are disjoint; within an element the partials are added in chunk order
        int rowsPerTask = Math.max(1, (1 << 16) / n);
        Parallel.forRange(m, rowsPerTask, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < n; j++) {
                    int at = i * n + j;
                    float sum = partial[0][at];
                    for (int t = 1; t < partial.length; t++) {
                        sum += partial[t][at];
                    }
                    int ct = cOff + i * ldc + j;
                    // the same update as MicroKernel's, so beta == 0 never reads C
                    if (beta == 0f) {
                        c[ct] = alpha * sum;
                    } else if (beta == 1f) {
                        c[ct] = Math.fma(alpha, sum, c[ct]);
                    } else {
                        c[ct] = Math.fma(alpha, sum, c[ct] * beta);
                    }
                }
            }
            if (epilogue != null) {
                epilogue.finish(i0, i1, 0, n);
            }
        });
    }

    /**
     * The blocked product for rows {@code [i0, i1)} and columns {@code [j0, j1)} of C. {@code sharedB}, if
     * not null, holds all of op(B) as {@link #packAllOfB} packs it ({@code j0} is then a multiple of
     * {@code NR}); otherwise B is packed here, slice by slice.
     */
    private static void multiplyBlock(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                                      float alpha, float[] a, int aOff, int lda,
                                      float[] b, int bOff, int ldb, AllOfB sharedB,
                                      float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        if (k == 0) {
            scaleBlock(beta, c, cOff, ldc, i0, i1, j0, j1);
            if (epilogue != null) {
                epilogue.finish(i0, i1, j0, j1);
            }
            return;
        }
        Buffers buf = BUFFERS.get();
        // k slices of equal depth (at most KC): a short last slice would spend relatively more on
        // the per-tile C update than on multiply-adds.
        int kSlice = kSlice(k);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kSlice) {
                int kc = Math.min(kSlice, k - pc);
                float[] bp;
                int bAt;
                if (sharedB != null) {
                    bp = sharedB.panels();
                    bAt = sharedB.paddedColumns() * pc + jc * kc;
                } else {
                    GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, buf.packedB);
                    bp = buf.packedB;
                    bAt = 0;
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    // beta applies once, with the first k slice; later slices accumulate onto C
                    float sliceBeta = pc == 0 ? beta : 1f;
                    int cBlock = cOff + ic * ldc + jc;
                    if (transA && readsTransposedAInPlace(lda)) {
                        sweepTransposedA(a, aOff + pc * lda + ic, lda, kc, mc, nc, alpha, sliceBeta, buf, bp, bAt,
                                c, cBlock, ldc);
                    } else {
                        GemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.packedA);
                        sweep(kc, mc, nc, alpha, sliceBeta, buf, bp, bAt, c, cBlock, ldc);
                    }
                    if (epilogue != null && pc + kc == k) {
                        epilogue.finish(ic, ic + mc, jc, jc + nc); // this block of C is final and still in L2
                    }
                }
            }
        }
    }

    /**
     * Runs the micro-kernel over every tile of one packed {@code mc x nc} block, A panel by A panel: the
     * A panel stays in L1 while the B panels stream from L2, and consecutive tiles are neighbours along
     * C's rows, so each of the tile's rows of C is read and written as one sequential stream that the
     * hardware prefetcher runs ahead of. (Walking down the B panel instead, tile after tile lands on
     * rows of C not touched since the last k slice, and the C update waited on those misses; this order
     * was faster on the cubes and the weight-gradient shapes, see lfssd-bench/results/gemm-design-2026-11.md.)
     */
    private static void sweep(int kc, int mc, int nc, float alpha, float beta, Buffers buf, float[] bp, int bAt,
                              float[] c, int cBlock, int ldc) {
        float[] tile = buf.tile;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                int cTile = cBlock + ir * ldc + jr;
                MicroKernel.multiply(kc, buf.packedA, ir * kc, MR, bp, bAt + jr * kc, tile);
                if (rows == MR && cols == NR) {
                    MicroKernel.update(tile, alpha, beta, c, cTile, ldc);
                } else {
                    MicroKernel.updateEdge(tile, alpha, beta, c, cTile, ldc, rows, cols);
                }
            }
        }
    }

    /**
     * Whether a transposed A with this leading dimension is read in place ({@link #sweepTransposedA})
     * rather than packed. Reading in place saves a copy of every element of A but reads each panel's k
     * steps {@code lda} floats apart: measured, it was faster for the strides below the limit (the ViT
     * layers' 192, 576 and 768, also 1000) and slower from it on (1024, 2304, 4608, strides at which a
     * panel's k steps map to one, four and two L1 sets and evict each other), see
     * lfssd-bench/results/vit-unpacked-a-2026-12-02.md.
     */
    static boolean readsTransposedAInPlace(int lda) {
        return lda < IN_PLACE_MAX_LDA && transposedAInPlace;
    }

    /** The stride, in floats, from which a transposed A is packed again (see {@link #readsTransposedAInPlace}). */
    private static final int IN_PLACE_MAX_LDA = 1024;

    /**
     * Off only in tests and measurements that compare against the packing path: reading A in place must
     * give the bits packing gives.
     */
    static volatile boolean transposedAInPlace = true;

    /**
     * {@link #sweep} for a transposed A read where it lies: {@code aBlock} is op(A)'s element at the block's
     * first row and the slice's first k step, and each full panel of {@code MR} rows is read by
     * {@link MicroKernel#multiply} at a stride of {@code lda} per k step. The block's last panel,
     * if it has fewer than {@code MR} rows, is packed (zero-padded) as {@link #sweep} reads it, so the
     * micro-kernel never reads past the block's rows.
     */
    private static void sweepTransposedA(float[] a, int aBlock, int lda, int kc, int mc, int nc, float alpha, float beta,
                                         Buffers buf, float[] bp, int bAt, float[] c, int cBlock, int ldc) {
        float[] tile = buf.tile;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            if (rows < MR) {
                // rows [ir, mc) of this block, k steps [0, kc) counted from aBlock
                GemmPacking.packA(true, a, aBlock + ir, lda, 0, rows, 0, kc, buf.packedA);
            }
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                int cTile = cBlock + ir * ldc + jr;
                if (rows == MR) {
                    MicroKernel.multiply(kc, a, aBlock + ir, lda, bp, bAt + jr * kc, tile);
                } else {
                    MicroKernel.multiply(kc, buf.packedA, 0, MR, bp, bAt + jr * kc, tile);
                }
                if (rows == MR && cols == NR) {
                    MicroKernel.update(tile, alpha, beta, c, cTile, ldc);
                } else {
                    MicroKernel.updateEdge(tile, alpha, beta, c, cTile, ldc, rows, cols);
                }
            }
        }
    }

    /** {@code C = beta * C} on one block, for {@code k == 0}; with {@code beta == 0} C is overwritten, never read. */
    private static void scaleBlock(float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        if (beta == 1f) {
            return;
        }
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row + j0, row + j1, 0f);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
