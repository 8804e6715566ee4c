/**
 * The float32 n-dimensional array everything else is built on: {@link org.lfssd.tensor.Tensor} (a
 * {@code float[]} with an offset and a row-major shape, so views share storage without copying) and
 * {@link org.lfssd.tensor.Shapes} (shape arithmetic and the {@code [2, 3, 4]} form error messages use).
 *
 * <p>Nothing here knows about gradients: the package depends only on {@code org.lfssd.kernels}, whose
 * loops its few arithmetic methods run on.
 */
package org.lfssd.tensor;
