package org.lfssd.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the vector GEMM cuts C into tasks: covering, tile-aligned, bounded, and a function of the sizes only. */
class TaskGridTest {

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
    }

    @Test
    void gridCoversCWithTileAlignedBlocks() {
        int[][] shapes = {{1, 1, 1}, {130, 257, 301}, {1024, 1024, 1024}, {64, 65536, 576}, {512, 1024, 4608},
            {576, 65536, 64}, {64, 576, 65536}, {13, 100_000, 40}, {100_000, 5, 40}};
        for (int[] s : shapes) {
            VectorGemm.TaskGrid g = VectorGemm.TaskGrid.of(s[0], s[1], s[2]);
            String what = java.util.Arrays.toString(s) + " -> " + g;
            assertTrue(g.tasks() >= 1 && g.tasks() <= 16, what);
            assertEquals(0, g.rowsPerTask() % MicroKernel.MR, what);
            assertEquals(0, g.colsPerTask() % MicroKernel.NR, what);
            assertTrue((long) g.rows() * g.rowsPerTask() >= s[0] && (long) (g.rows() - 1) * g.rowsPerTask() < s[0], what);
            assertTrue((long) g.cols() * g.colsPerTask() >= s[1] && (long) (g.cols() - 1) * g.colsPerTask() < s[1], what);
        }
    }

    @Test
    void smallProblemsStayInOneTaskAndLargeOnesAreSplitAlongTheLongerSide() {
        assertEquals(1, VectorGemm.TaskGrid.of(64, 64, 64).tasks());
        // the determinism tests rely on this size being split
        assertTrue(VectorGemm.TaskGrid.of(130, 257, 301).tasks() > 1);
        VectorGemm.TaskGrid cube = VectorGemm.TaskGrid.of(1024, 1024, 1024);
        assertEquals(4, cube.tasks(), cube.toString());
        // the longer side is cut first: a wide product with few rows is cut by columns only, and as each
        // column cut repacks only the small A, into the most tasks
        VectorGemm.TaskGrid wide = VectorGemm.TaskGrid.of(64, 65536, 576);
        assertEquals(1, wide.rows(), wide.toString());
        assertEquals(16, wide.cols(), wide.toString());
    }

    @Test
    void oneSliceDeepProductsWithBPackedOnceAreCutByRowsIntoMoreTasks() {
        // ViT-Tiny 224 qkv forward: B (the weight) is packed once for all tasks, so row cuts repack nothing
        VectorGemm.TaskGrid qkv = VectorGemm.TaskGrid.of(3152, 576, 192);
        assertEquals(1, qkv.cols(), qkv.toString());
        assertEquals(16, qkv.tasks(), qkv.toString());
        // several k slices: every task would stream all of B again, so the grid stays at four
        VectorGemm.TaskGrid fc2 = VectorGemm.TaskGrid.of(3152, 192, 768);
        assertEquals(4, fc2.tasks(), fc2.toString());
    }

    @Test
    void theSharedBTestShapeIsCutAlongRows() {
        // GemmTest's test of B packed once for all tasks relies on this product's grid cutting rows
        assertTrue(VectorGemm.TaskGrid.of(301, 70, 530).rows() > 1, VectorGemm.TaskGrid.of(301, 70, 530).toString());
    }

    @Test
    void cutsPastFourTasksAreMadeOnlyWhereTheyRepackLittle() {
        // a cube: every further cut would repack a whole operand's share again
        assertEquals(4, VectorGemm.TaskGrid.of(1024, 1024, 1024).tasks());
        // weight gradient with a huge k: a column cut repacks all of A (64 x 65536)
        VectorGemm.TaskGrid deep = VectorGemm.TaskGrid.of(64, 576, 65536);
        assertEquals(4, deep.tasks(), deep.toString());
        // the wide input gradient: column cuts repack A (576 x 64) only
        VectorGemm.TaskGrid wideInputGrad = VectorGemm.TaskGrid.of(576, 65536, 64);
        assertEquals(16, wideInputGrad.tasks(), wideInputGrad.toString());
        assertEquals(1, wideInputGrad.rows(), wideInputGrad.toString());
    }

    @Test
    void smallCWithALongDepthIsCutAlongKInOrderedChunks() {
        // the conv weight gradient: a column grid would repack A (64 x 65536) in every task
        VectorGemm.DepthSplit deep = VectorGemm.DepthSplit.of(64, 576, 65536);
        assertEquals(4, deep.chunks(), deep.toString());
        assertEquals(16384, deep.depthPerChunk(), deep.toString());
        // C too narrow for any grid: the depth is the only way to two threads
        VectorGemm.DepthSplit narrow = VectorGemm.DepthSplit.of(24, 64, 12288);
        assertTrue(narrow.chunks() > 1, narrow.toString());
        assertTrue((long) narrow.chunks() * narrow.depthPerChunk() >= 12288, narrow.toString());
        assertTrue((long) (narrow.chunks() - 1) * narrow.depthPerChunk() < 12288, narrow.toString());
        // products whose grid repacks less than the partials would cost keep k whole
        assertEquals(1, VectorGemm.DepthSplit.of(1024, 1024, 1024).chunks());
        assertEquals(1, VectorGemm.DepthSplit.of(64, 65536, 576).chunks());
        assertEquals(1, VectorGemm.DepthSplit.of(256, 2304, 4096).chunks());
        assertEquals(1, VectorGemm.DepthSplit.of(130, 257, 301).chunks());
        // larger partials cost more to allocate and sum than the cut saves
        assertEquals(1, VectorGemm.DepthSplit.of(512, 1024, 4608).chunks());
        assertEquals(1, VectorGemm.DepthSplit.of(128, 1152, 16384).chunks());
    }

    @Test
    void theDepthCutShapeOfThePackedBTestIsCutAlongK() {
        // GemmPackedBTest checks the packed path of a product cut along k (it unpacks the panels) on this shape
        VectorGemm.DepthSplit split = VectorGemm.DepthSplit.of(33, 197, 4100);
        assertTrue(split.chunks() > 1, split.toString());
    }
}
