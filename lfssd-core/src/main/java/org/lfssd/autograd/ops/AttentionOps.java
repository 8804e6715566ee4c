package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.Gemm;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Scaled dot-product attention {@code O = softmax(q·kᵀ/√d)·v}, one fused op per layout:
 * <ul>
 *   <li>{@link #scaledDotProductAttention}: separate {@code q, k, v} of shape {@code [B, H, N, d]};</li>
 *   <li>{@link #multiHeadSelfAttention}: the packed output of a {@code qkv} Linear, {@code [B, N, 3·H·d]}
 *       laid out as timm's {@code [B, N, 3, H, d]}, giving {@code [B, N, H·d]} with the heads merged.
 *       The GEMMs read each head's rows in place through their leading dimensions, and the gradient is
 *       written straight into a {@code [B, N, 3·H·d]} tensor, so neither the permuted q/k/v copies nor the
 *       transposed output (nor their backward copies) are ever made.</li>
 * </ul>
 *
 * <p>Of the intermediates only the probabilities {@code P} ({@code [B·H, Nq, Nk]}) are kept for backward;
 * the score gradient lives in a per-thread scratch matrix reused across calls. (Recomputing P in backward
 * instead, flash-attention style, saved 7.4 MB per layer at ViT-Tiny 224/16 batch 16 but measured 20–35 %
 * slower for the whole importance step there, base vs head alternated in JMH: the row softmax's exp is
 * expensive in this JVM, see lfssd-bench/results/vit-importance-2026-12-01.md.) Each {@code (batch, head)}
 * task writes only its own slices, and its GEMMs run inline on that worker, so results do not depend on
 * the thread count.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /** Per-thread scratch for the score-gradient matrix, grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

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
        int nq = qs[2];
        int nk = ks[2];
        int d = qs[3];
        int dv = vs[3];
        Tensor qv = q.value();
        Tensor kv = k.value();
        Tensor vv = v.value();
        Layout fwd = new Layout(qs[0] * qs[1], 1, nq, nk, d, dv,
                qv.data(), qv.offset(), nq * d, d,
                kv.data(), kv.offset(), nk * d, d,
                vv.data(), vv.offset(), nk * dv, dv);
        // Each head writes its whole block of the output and of the probabilities.
        Tensor out = Tensor.uninitialized(qs[0], qs[1], nq, dv);
        float[] p = Tensor.uninitialized(fwd.heads() * nq * nk).data();
        Parallel.forEach(fwd.heads(), h -> forwardHead(fwd, h, p, out.data(), h * nq * dv, dv));

        boolean needQ = q.requiresGrad();
        boolean needK = k.requiresGrad();
        boolean needV = v.requiresGrad();
        return Var.fromOp("scaledDotProductAttention", out, g -> {
            // Each head's products overwrite its block (beta = 0).
            Tensor dq = needQ ? Tensor.uninitialized(qs) : null;
            Tensor dk = needK ? Tensor.uninitialized(ks) : null;
            Tensor dvT = needV ? Tensor.uninitialized(vs) : null;
            float[] gd = g.data();
            int gOff = g.offset();
            Parallel.forEach(fwd.heads(), h -> backwardHead(fwd, h, p, gd, gOff + h * nq * dv, dv,
                    dq == null ? null : dq.data(), h * nq * d, d,
                    dk == null ? null : dk.data(), h * nk * d, d,
                    dvT == null ? null : dvT.data(), h * nk * dv, dv));
            return new Tensor[] {dq, dk, dvT};
        }, q, k, v);
    }

    /**
     * Multi-head self-attention on a packed {@code qkv [B, N, 3·heads·d]} (timm's {@code [B,N,3,H,d]}
     * order: all query heads, then all key heads, then all value heads): {@code [B, N, heads·d]} with
     * head {@code h} in columns {@code [h·d, (h+1)·d)}, which is timm's {@code (attn @ v).transpose(1, 2)
     * .reshape(B, N, C)}.
     *
     * @param qkv   the packed queries, keys and values, {@code [B, N, 3·heads·d]}
     * @param heads the number of heads; must divide {@code qkv}'s last dimension / 3
     * @return the attention output {@code [B, N, heads·d]}, differentiable with respect to {@code qkv}
     * @throws IllegalArgumentException if {@code qkv} is not rank 3, {@code heads <= 0}, or the last dimension
     *         is not a multiple of {@code 3·heads}
     */
    public static Var multiHeadSelfAttention(Var qkv, int heads) {
        int[] s = qkv.shape();
        if (s.length != 3 || heads <= 0 || s[2] % (3 * heads) != 0) {
            throw new IllegalArgumentException("multiHeadSelfAttention: needs qkv [B, N, 3*heads*d] with heads = " + heads
                    + ", got " + Shapes.str(s));
        }
        int b = s[0];
        int n = s[1];
        int c = s[2] / 3;
        int d = c / heads;
        int row = 3 * c;
        Tensor x = qkv.value();
        float[] xd = x.data();
        int xo = x.offset();
        // Task t = (image t / heads, head t % heads): a stride of one image between groups of heads,
        // one head width between heads of the same image; Layout resolves both through headOffset.
        Layout fwd = new Layout(b * heads, heads, n, n, d, d,
                xd, xo, n * row, row,
                xd, xo + c, n * row, row,
                xd, xo + 2 * c, n * row, row).withHeadStride(d);
        // Each (image, head) writes its d columns of every token's row, and its block of probabilities.
        Tensor out = Tensor.uninitialized(b, n, c);
        float[] p = Tensor.uninitialized(fwd.heads() * n * n).data();
        Parallel.forEach(fwd.heads(), t -> forwardHead(fwd, t, p, out.data(), (t / heads) * n * c + (t % heads) * d, c));

        return Var.fromOp("multiHeadSelfAttention", out, g -> {
            Tensor dx = Tensor.uninitialized(s); // each (image, head) overwrites its q, k and v columns (beta = 0)
            float[] dd = dx.data();
            float[] gd = g.data();
            int gOff = g.offset();
            Parallel.forEach(fwd.heads(), t -> {
                int img = t / heads;
                int head = t % heads;
                int base = img * n * row + head * d;
                backwardHead(fwd, t, p, gd, gOff + img * n * c + head * d, c,
                        dd, base, row, dd, base + c, row, dd, base + 2 * c, row);
            });
            return new Tensor[] {dx};
        }, qkv);
    }

    /**
     * Where the operands of each of {@code heads} independent problems sit: problem {@code t}'s q starts at
     * {@code qOff + (t / group)·qStride + (t % group)·headStride} with row stride {@code ldq}, and likewise
     * k and v. The 4-D layout has {@code group = 1}; the packed one has {@code group = H}.
     */
    private record Layout(int heads, int group, int nq, int nk, int d, int dv,
                          float[] q, int qOff, int qStride, int ldq,
                          float[] k, int kOff, int kStride, int ldk,
                          float[] v, int vOff, int vStride, int ldv,
                          int headStride) {
        Layout(int heads, int group, int nq, int nk, int d, int dv,
               float[] q, int qOff, int qStride, int ldq,
               float[] k, int kOff, int kStride, int ldk,
               float[] v, int vOff, int vStride, int ldv) {
            this(heads, group, nq, nk, d, dv, q, qOff, qStride, ldq, k, kOff, kStride, ldk, v, vOff, vStride, ldv, 0);
        }

        Layout withHeadStride(int stride) {
            return new Layout(heads, group, nq, nk, d, dv, q, qOff, qStride, ldq, k, kOff, kStride, ldk,
                    v, vOff, vStride, ldv, stride);
        }

        int qAt(int t) {
            return qOff + (t / group) * qStride + (t % group) * headStride;
        }

        int kAt(int t) {
            return kOff + (t / group) * kStride + (t % group) * headStride;
        }

        int vAt(int t) {
            return vOff + (t / group) * vStride + (t % group) * headStride;
        }

        /** The scale applied to q·kᵀ, as PyTorch's head_dim ** -0.5 rounded to float. */
        float scale() {
            return (float) (1.0 / Math.sqrt(d));
        }
    }

    /** This thread's scratch, at least {@code size} floats. */
    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

    /** {@code P = softmax(scale · q kᵀ)} of problem {@code t} into {@code p[pOff, pOff + nq·nk)}, row by row. */
    private static void probabilities(Layout s, int t, float[] p, int pOff) {
        Kernels.gemm().sgemm(false, true, s.nq(), s.nk(), s.d(), s.scale(),
                s.q(), s.qAt(t), s.ldq(),
                s.k(), s.kAt(t), s.ldk(),
                0f, p, pOff, s.nk());
        for (int i = 0; i < s.nq(); i++) {
            SoftmaxOps.softmaxRow(p, pOff + i * s.nk(), p, pOff + i * s.nk(), s.nk());
        }
    }

    private static void forwardHead(Layout s, int t, float[] p, float[] out, int oOff, int ldo) {
        int pOff = t * s.nq() * s.nk();
        probabilities(s, t, p, pOff);
        Kernels.gemm().sgemm(false, false, s.nq(), s.dv(), s.nk(), 1f,
                p, pOff, s.nk(),
                s.v(), s.vAt(t), s.ldv(),
                0f, out, oOff, ldo);
    }

    /**
     * {@code dV = Pᵀ·dO}, {@code dP = dO·vᵀ}, {@code dS = P * (dP - rowsum(dP * P))},
     * {@code dq = scale · dS·k}, {@code dk = scale · dSᵀ·q}, with P as saved by forward; null targets
     * are skipped.
     */
    private static void backwardHead(Layout s, int t, float[] p, float[] g, int gOff, int ldg,
                                     float[] dq, int dqOff, int lddq,
                                     float[] dk, int dkOff, int lddk,
                                     float[] dv, int dvOff, int lddv) {
        Gemm gemm = Kernels.gemm();
        int nq = s.nq();
        int nk = s.nk();
        int pOff = t * nq * nk;
        if (dv != null) {
            gemm.sgemm(true, false, nk, s.dv(), nq, 1f,
                    p, pOff, nk,
                    g, gOff, ldg,
                    0f, dv, dvOff, lddv);
        }
        if (dq == null && dk == null) {
            return;
        }
        float[] ds = scratch(nq * nk);
        gemm.sgemm(false, true, nq, nk, s.dv(), 1f,
                g, gOff, ldg,
                s.v(), s.vAt(t), s.ldv(),
                0f, ds, 0, nk);
        KernelProvider ops = Kernels.provider();
        for (int i = 0; i < nq; i++) {
            int row = i * nk;
            float dot = ops.dot(ds, row, p, pOff + row, nk);
            ops.addScalar(-dot, ds, row, ds, row, nk);
            ops.mul(ds, row, p, pOff + row, ds, row, nk);
        }
        if (dq != null) {
            gemm.sgemm(false, false, nq, s.d(), nk, s.scale(),
                    ds, 0, nk,
                    s.k(), s.kAt(t), s.ldk(),
                    0f, dq, dqOff, lddq);
        }
        if (dk != null) {
            gemm.sgemm(true, false, nk, s.d(), nq, s.scale(),
                    ds, 0, nk,
                    s.q(), s.qAt(t), s.ldq(),
                    0f, dk, dkOff, lddk);
        }
    }
}
