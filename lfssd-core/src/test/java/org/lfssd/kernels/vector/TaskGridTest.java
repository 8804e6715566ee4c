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
            assertTrue(g.tasks() >= 1 && g.tasks() <= 4, what);
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
        // the longer side is cut first: a wide product with few rows is cut by columns only
        VectorGemm.TaskGrid wide = VectorGemm.TaskGrid.of(64, 65536, 576);
        assertEquals(1, wide.rows(), wide.toString());
        assertEquals(4, wide.cols(), wide.toString());
    }
}
