/**
 * The optional jblas (native OpenBLAS) GEMM: the only package that imports {@code org.jblas}, loaded only
 * when {@code lfssd.blas} asks for it and jblas is on the class path. Without it the Java GEMMs run.
 */
package org.lfssd.kernels.jblas;
