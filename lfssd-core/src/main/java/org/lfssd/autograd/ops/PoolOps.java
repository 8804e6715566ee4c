package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Pooling over the spatial dimensions of NCHW tensors. Planes are processed in blocks whose size
 * depends only on the shape, each plane by one task, so results do not depend on the thread count.
 */
public final class PoolOps {
    private PoolOps() {}

    /**
     * {@code AdaptiveAvgPool2d(1)}: {@code [N,C,H,W] -> [N,C,1,1]}, the mean of every plane. Backward
     * spreads each output gradient evenly, {@code g / (H*W)}, over its plane; nothing is saved but the shape.
     *
     * @param x the input {@code [N, C, H, W]}
     * @return {@code [N, C, 1, 1]}
     */
    public static Var globalAvgPool(Var x) {
        Tensor xv = x.value();
        if (xv.dim() != 4 || xv.size(2) * xv.size(3) == 0) {
            throw new IllegalArgumentException("globalAvgPool: expected x [N,C,H,W] with H*W > 0, got "
                    + Shapes.str(xv.shape()));
        }
        int[] inShape = xv.shape();
        int planes = xv.size(0) * xv.size(1);
        int plane = xv.size(2) * xv.size(3);
        float area = plane;
        KernelProvider ops = Kernels.provider();

        Tensor y = Tensor.uninitialized(xv.size(0), xv.size(1), 1, 1); // one mean per plane
        float[] xd = xv.data();
        int xOff = xv.offset();
        float[] yd = y.data();
        Parallel.forRows(planes, plane, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                yd[p] = ops.sum(xd, xOff + p * plane, plane) / area;
            }
        });

        return Var.fromOp("globalAvgPool", y, gy -> {
            Tensor dx = Tensor.uninitialized(inShape); // every plane filled
            float[] dxd = dx.data();
            float[] g = gy.data();
            int gOff = gy.offset();
            Parallel.forRows(planes, plane, (p0, p1) -> {
                for (int p = p0; p < p1; p++) {
                    Arrays.fill(dxd, p * plane, (p + 1) * plane, g[gOff + p] / area);
                }
            });
            return new Tensor[] {dx};
        }, x);
    }
}
