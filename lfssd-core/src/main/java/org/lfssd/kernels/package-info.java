/**
 * The numeric inner loops, behind one SPI: {@link org.lfssd.kernels.KernelProvider} (elementwise maps,
 * reductions, fused row kernels), {@link org.lfssd.kernels.Gemm} (matrix multiply) and
 * {@link org.lfssd.kernels.ImplicitGemm} (direct convolution). {@link org.lfssd.kernels.Kernels} picks the
 * provider once per JVM: {@link org.lfssd.kernels.ScalarKernels}, the plain-Java definition of correct, or
 * the SIMD provider of {@code org.lfssd.kernels.vector}; {@link org.lfssd.kernels.Parallel} is the thread
 * pool, and {@link org.lfssd.kernels.Config} reads the {@code lfssd.*} knobs.
 *
 * <p>The determinism rule every kernel keeps: work is split by problem size only, never by thread count,
 * and every reduction combines its partial sums in a fixed order, so results are bit-identical for any
 * number of threads. This package knows nothing of autograd or of unlearning; the callers in
 * {@code org.lfssd.autograd.ops} do.
 */
package org.lfssd.kernels;
