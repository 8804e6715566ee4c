/**
 * The SIMD kernel provider on the incubating Vector API ({@code jdk.incubator.vector}): the only package
 * that imports it, loaded reflectively by {@link org.lfssd.kernels.Kernels} so that the rest of the library
 * links and runs without {@code --add-modules}. Elementwise kernels round as
 * {@link org.lfssd.kernels.ScalarKernels} does and give the same bits; the few functions computed
 * differently in lanes (EXP, GELU) and the float-lane reductions stay within a few ulps of it.
 */
package org.lfssd.kernels.vector;
