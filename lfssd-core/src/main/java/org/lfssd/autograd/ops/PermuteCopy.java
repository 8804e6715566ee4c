package org.lfssd.autograd.ops;

import java.util.Arrays;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * The contiguous copy of a tensor with its dimensions permuted, as {@link Tensor#permute} computes it,
 * but fast enough for the attention layout changes of a ViT ({@code [B,N,3,H,d] -> [3,B,H,N,d]} and
 * {@code [B,H,N,d] -> [B,N,H,d]}, forward and backward), which otherwise cost several percent of a step.
 *
 * <p>The output is cut into rows of its last dimension. When that dimension is also the input's last
 * (the usual case) each row is one {@code System.arraycopy}; otherwise it is a strided gather. Blocks of
 * rows are parallel tasks whose cut depends on the shape only, and every output element is written once,
 * so the result does not depend on the thread count (nor could it: nothing is added).
 */
final class PermuteCopy {
    private PermuteCopy() {}

    /** Output elements per parallel task. */
    private static final int TASK_ELEMENTS = 1 << 15;

    /**
     * {@code x} permuted so that output dimension {@code i} is input dimension {@code dims[i]}; dimensions
     * may be negative. Throws like {@link Tensor#permute} for a bad {@code dims}.
     */
    static Tensor permute(Tensor x, int... dims) {
        int[] shape = x.shape();
        int rank = shape.length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " for shape " + Shapes.str(shape));
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Shapes.dim(dims[i], rank, "permute");
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: repeated dimension in " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
        }
        if (rank < 2 || x.numel() == 0) {
            return x.permute(perm);
        }
        int[] outShape = new int[rank];
        int[] inStrides = Shapes.strides(shape);
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            srcStride[i] = inStrides[perm[i]];
        }
        Tensor out = Tensor.zeros(outShape);
        int rowLength = outShape[rank - 1];
        int rows = x.numel() / rowLength;
        float[] src = x.data();
        float[] dst = out.data();
        int srcOff = x.offset();
        Parallel.forRange(rows, Math.max(1, TASK_ELEMENTS / rowLength),
                (r0, r1) -> copyRows(src, srcOff, srcStride, outShape, rowLength, r0, r1, dst));
        return out;
    }

    /** {@code x} with dimensions {@code d0} and {@code d1} swapped. */
    static Tensor transpose(Tensor x, int d0, int d1) {
        int rank = x.dim();
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        int a = Shapes.dim(d0, rank, "transpose");
        int b = Shapes.dim(d1, rank, "transpose");
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** Writes output rows {@code [r0, r1)}, walking the source with an odometer over the leading output dimensions. */
    private static void copyRows(float[] src, int srcOff, int[] srcStride, int[] outShape, int rowLength,
                                 int r0, int r1, float[] dst) {
        int lead = outShape.length - 1;
        int[] idx = new int[lead];
        int s = srcOff;
        for (int d = lead - 1, rest = r0; d >= 0; d--) {
            idx[d] = rest % outShape[d];
            rest /= outShape[d];
            s += idx[d] * srcStride[d];
        }
        int inner = srcStride[lead];
        for (int r = r0; r < r1; r++) {
            int o = r * rowLength;
            if (inner == 1) {
                System.arraycopy(src, s, dst, o, rowLength);
            } else {
                for (int j = 0, at = s; j < rowLength; j++, at += inner) {
                    dst[o + j] = src[at];
                }
            }
            for (int d = lead - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    s += srcStride[d];
                    break;
                }
                s -= srcStride[d] * (outShape[d] - 1);
                idx[d] = 0;
            }
        }
    }
}
