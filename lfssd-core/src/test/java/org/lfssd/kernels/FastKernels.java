package org.lfssd.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;

/**
 * Test access to the optional fast kernels without linking against them: the core suite also runs
 * on a JVM without {@code jdk.incubator.vector}, where the SIMD classes cannot load, and on hosts where
 * jblas's native library does not load. Tests that need them are skipped there, not failed.
 */
final class FastKernels {
    private FastKernels() {}

    /** A fresh Vector API provider, or a skipped test when the module is not in the boot layer. */
    static KernelProvider vectorProvider() {
        assumeTrue(Kernels.vectorModuleReadable(), "jdk.incubator.vector is not readable in this JVM");
        try {
            return (KernelProvider) Class.forName("org.lfssd.kernels.vector.VectorKernels").getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the module is readable, so the provider must load", e);
        }
    }

    /** The jblas GEMM, or a skipped test when jblas's native code does not load here. */
    static Gemm jblas() {
        try {
            return (Gemm) Class.forName("org.lfssd.kernels.jblas.JblasGemm").getMethod("probe").invoke(null);
        } catch (InvocationTargetException e) {
            assumeTrue(false, "jblas is not usable here: " + e.getCause());
            throw new AssertionError("unreachable");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
