package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Scaled dot-product attention {@code O = softmax(q·kᵀ/√d)·v} as one fused op on {@code [B, H, N, d]}.
 *
 * <p>Fusing keeps memory down: of the intermediates only the probabilities {@code P} ({@code [B,H,Nq,Nk]})
 * are saved; the scores and their gradient live in one per-task scratch matrix. Each {@code (batch, head)}
 * pair is one pool task writing its own slices, and its GEMMs run inline on that worker, so results do
 * not depend on the thread count.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /**
     * {@code q [B,H,Nq,d]}, {@code k [B,H,Nk,d]}, {@code v [B,H,Nk,dv]} give {@code [B,H,Nq,dv]}
     * (self-attention has {@code Nq = Nk} and {@code dv = d}).
     *
     * @param q the queries
     * @param k the keys
     * @param v the values
     * @return {@code [B, H, Nq, dv]}
     */
    public static Var scaledDotProductAttention(Var q, Var k, Var v) {
        int[] qs = q.shape();
        int[] ks = k.shape();
        int[] vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4
                || qs[0] != ks[0] || qs[1] != ks[1] || ks[0] != vs[0] || ks[1] != vs[1]
                || qs[3] != ks[3] || ks[2] != vs[2]) {
            throw new IllegalArgumentException("scaledDotProductAttention: needs q [B,H,Nq,d], k [B,H,Nk,d], v [B,H,Nk,dv], got q "
                    + Shapes.str(qs) + ", k " + Shapes.str(ks) + ", v " + Shapes.str(vs));
        }
        Dims dims = new Dims(qs[0] * qs[1], qs[2], ks[2], qs[3], vs[3]);
        // The scale applied to q·kᵀ, as PyTorch's head_dim ** -0.5 rounded to float.
        float scale = (float) (1.0 / Math.sqrt(dims.d));
        Tensor qv = q.value();
        Tensor kv = k.value();
        Tensor vv = v.value();
        Tensor p = Tensor.zeros(qs[0], qs[1], dims.nq, dims.nk);
        Tensor out = Tensor.zeros(qs[0], qs[1], dims.nq, dims.dv);
        Parallel.forEach(dims.heads, h -> forwardHead(h, dims, scale, qv, kv, vv, p.data(), out.data()));

        boolean needQ = q.requiresGrad();
        boolean needK = k.requiresGrad();
        boolean needV = v.requiresGrad();
        return Var.fromOp("scaledDotProductAttention", out, g -> {
            Tensor dq = needQ ? Tensor.zeros(qs) : null;
            Tensor dk = needK ? Tensor.zeros(ks) : null;
            Tensor dv = needV ? Tensor.zeros(vs) : null;
            Parallel.forEach(dims.heads, h -> backwardHead(h, dims, scale, qv, kv, vv, p.data(), g, dq, dk, dv));
            return new Tensor[] {dq, dk, dv};
        }, q, k, v);
    }

    /** Sizes of one attention problem: {@code heads = B*H} independent products. */
    private record Dims(int heads, int nq, int nk, int d, int dv) {}

    private static void forwardHead(int h, Dims s, float scale, Tensor q, Tensor k, Tensor v, float[] p, float[] out) {
        Gemm gemm = Kernels.gemm();
        int pOff = h * s.nq * s.nk;
        // S = scale · q kᵀ, written straight into P and normalised there row by row.
        gemm.sgemm(false, true, s.nq, s.nk, s.d, scale,
                q.data(), q.offset() + h * s.nq * s.d, s.d,
                k.data(), k.offset() + h * s.nk * s.d, s.d,
                0f, p, pOff, s.nk);
        for (int i = 0; i < s.nq; i++) {
            SoftmaxOps.softmaxRow(p, pOff + i * s.nk, p, pOff + i * s.nk, s.nk);
        }
        gemm.sgemm(false, false, s.nq, s.dv, s.nk, 1f,
                p, pOff, s.nk,
                v.data(), v.offset() + h * s.nk * s.dv, s.dv,
                0f, out, h * s.nq * s.dv, s.dv);
    }

    /**
     * {@code dV = Pᵀ·dO}, {@code dP = dO·vᵀ}, {@code dS = P * (dP - rowsum(dP * P))},
     * {@code dq = scale · dS·k}, {@code dk = scale · dSᵀ·q}; null targets are skipped.
     */
    private static void backwardHead(int h, Dims s, float scale, Tensor q, Tensor k, Tensor v, float[] p,
                                     Tensor g, Tensor dq, Tensor dk, Tensor dv) {
        Gemm gemm = Kernels.gemm();
        int pOff = h * s.nq * s.nk;
        int qOff = h * s.nq * s.d;
        int kOff = h * s.nk * s.d;
        int vOff = h * s.nk * s.dv;
        int gOff = g.offset() + h * s.nq * s.dv;
        if (dv != null) {
            gemm.sgemm(true, false, s.nk, s.dv, s.nq, 1f,
                    p, pOff, s.nk,
                    g.data(), gOff, s.dv,
                    0f, dv.data(), vOff, s.dv);
        }
        if (dq == null && dk == null) {
            return;
        }
        float[] ds = new float[s.nq * s.nk];
        gemm.sgemm(false, true, s.nq, s.nk, s.dv, 1f,
                g.data(), gOff, s.dv,
                v.data(), v.offset() + vOff, s.dv,
                0f, ds, 0, s.nk);
        KernelProvider ops = Kernels.ops();
        for (int i = 0; i < s.nq; i++) {
            int row = i * s.nk;
            float dot = ops.dot(ds, row, p, pOff + row, s.nk);
            ops.addScalar(-dot, ds, row, ds, row, s.nk);
            ops.mul(ds, row, p, pOff + row, ds, row, s.nk);
        }
        if (dq != null) {
            gemm.sgemm(false, false, s.nq, s.d, s.nk, scale,
                    ds, 0, s.nk,
                    k.data(), k.offset() + kOff, s.d,
                    0f, dq.data(), qOff, s.d);
        }
        if (dk != null) {
            gemm.sgemm(true, false, s.nk, s.d, s.nq, scale,
                    ds, 0, s.nk,
                    q.data(), q.offset() + qOff, s.d,
                    0f, dk.data(), kOff, s.d);
        }
    }
}
