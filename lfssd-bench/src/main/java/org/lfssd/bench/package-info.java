/**
 * JMH benchmarks (GEMM, convolution, unary kernels, the importance pass, the unlearner end to end), the
 * {@link org.lfssd.bench.PeakHeapProfiler}, and plain mains for profiling and A/B runs. Measured figures
 * live in {@code lfssd-bench/results}, never in Javadoc.
 */
package org.lfssd.bench;
