package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * An application that leaves out the optional jblas dependency: jblas is not on the class path (the
 * {@code without-jblas} surefire execution removes it), the scalar provider is forced so that auto mode
 * asks for jblas, and the library must fall back to its Java GEMM with one warning and correct products.
 * Skipped in the other executions, where jblas is present.
 */
class NoJblasFallbackTest {

    @Test
    void withoutJblasTheJavaGemmIsUsedAndWarnedAbout() {
        assumeTrue(Boolean.getBoolean("lfssd.test.expectNoJblas"), "only in the without-jblas execution");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jblas.NativeBlas"),
                "jblas must be absent from this class path");
        Kernels.Selection s = Kernels.selection();
        assertEquals("scalar", s.provider().name());
        assertEquals(s.provider().gemm().name(), s.gemm().name());
        assertTrue(s.warnings().stream().anyMatch(w -> w.startsWith("jblas is not usable (")
                && w.contains("using the Java GEMM")), s.warnings().toString());
        // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
        float[] c = new float[4];
        Kernels.gemm().sgemm(false, false, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 6, 7, 8}, 0, 2,
                0f, c, 0, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }
}
