package org.lfssd.autograd.ops;

import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.tensor.Tensor;

/**
 * Elementwise arithmetic: the four broadcasting binary ops, scalar add and multiply, and the unary
 * math functions. Backward closures keep only what the derivative reads: shapes for add/sub, the
 * other operand for mul, the divisor and the quotient for div, the output for exp and sqrt, the input
 * for log, abs and pow.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /**
     * {@code a + b} with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the sum
     */
    public static Var add(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean gradA = a.requiresGrad();
        boolean gradB = b.requiresGrad();
        Tensor out = Broadcast.apply(BinaryOp.ADD, a.value(), b.value());
        return Var.fromOp("add", out, g -> new Tensor[] {
            gradA ? Broadcast.unbroadcast(g, as) : null,
            gradB ? Broadcast.unbroadcast(g, bs) : null}, a, b);
    }

    /**
     * {@code a - b} with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the difference
     */
    public static Var sub(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean gradA = a.requiresGrad();
        boolean gradB = b.requiresGrad();
        Tensor out = Broadcast.apply(BinaryOp.SUB, a.value(), b.value());
        // Negating after the reduction is exact and touches fewer elements than negating g.
        return Var.fromOp("sub", out, g -> new Tensor[] {
            gradA ? Broadcast.unbroadcast(g, as) : null,
            gradB ? Chunked.scale(-1f, Broadcast.unbroadcast(g, bs)) : null}, a, b);
    }

    /**
     * {@code a * b} with broadcasting.
     *
     * @param a left operand
     * @param b right operand
     * @return the product
     */
    public static Var mul(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean gradA = a.requiresGrad();
        boolean gradB = b.requiresGrad();
        Tensor out = Broadcast.apply(BinaryOp.MUL, a.value(), b.value());
        // Each gradient needs the other operand only; keep nothing for an input that needs no gradient.
        Tensor av = gradB ? a.value() : null;
        Tensor bv = gradA ? b.value() : null;
        return Var.fromOp("mul", out, g -> new Tensor[] {
            bv != null ? Broadcast.unbroadcast(Broadcast.apply(BinaryOp.MUL, g, bv), as) : null,
            av != null ? Broadcast.unbroadcast(Broadcast.apply(BinaryOp.MUL, g, av), bs) : null}, a, b);
    }

    /**
     * {@code a / b} with broadcasting.
     *
     * @param a numerator
     * @param b denominator
     * @return the quotient
     */
    public static Var div(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean gradA = a.requiresGrad();
        boolean gradB = b.requiresGrad();
        Tensor bv = b.value();
        Tensor out = Broadcast.apply(BinaryOp.DIV, a.value(), bv);
        // d/da = 1/b; d/db = -a/b² = -(1/b)·(a/b): reuse g/b and the quotient instead of keeping a.
        Tensor quotient = gradB ? out : null;
        return Var.fromOp("div", out, g -> {
            Tensor gOverB = Broadcast.apply(BinaryOp.DIV, g, bv);
            return new Tensor[] {
                gradA ? Broadcast.unbroadcast(gOverB, as) : null,
                quotient != null
                        ? Chunked.scale(-1f, Broadcast.unbroadcast(Chunked.binary(BinaryOp.MUL, gOverB, quotient), bs))
                        : null};
        }, a, b);
    }

    /**
     * {@code a + s}.
     *
     * @param a the input
     * @param s the scalar
     * @return the sum
     */
    public static Var addScalar(Var a, float s) {
        return Var.fromOp("addScalar", Chunked.addScalar(s, a.value()), g -> new Tensor[] {g}, a);
    }

    /**
     * {@code a * s}.
     *
     * @param a the input
     * @param s the scalar
     * @return the product
     */
    public static Var mulScalar(Var a, float s) {
        return Var.fromOp("mulScalar", Chunked.scale(s, a.value()), g -> new Tensor[] {Chunked.scale(s, g)}, a);
    }

    /**
     * {@code -a}.
     *
     * @param a the input
     * @return the negation
     */
    public static Var neg(Var a) {
        return Var.fromOp("neg", Chunked.map(UnaryOp.NEG, a.value()), g -> new Tensor[] {Chunked.map(UnaryOp.NEG, g)}, a);
    }

    /**
     * {@code e^a}; backward reuses the output ({@code d e^a = e^a}).
     *
     * @param a the input
     * @return the exponential
     */
    public static Var exp(Var a) {
        Tensor out = Chunked.map(UnaryOp.EXP, a.value());
        return Var.fromOp("exp", out, g -> new Tensor[] {Chunked.binary(BinaryOp.MUL, g, out)}, a);
    }

    /**
     * Natural logarithm; backward is {@code g / a}.
     *
     * @param a the input
     * @return the logarithm
     */
    public static Var log(Var a) {
        Tensor x = a.value();
        return Var.fromOp("log", Chunked.map(UnaryOp.LOG, x), g -> new Tensor[] {Chunked.binary(BinaryOp.DIV, g, x)}, a);
    }

    /**
     * Square root; backward reuses the output ({@code d√a = 1 / (2√a)}).
     *
     * @param a the input
     * @return the square root
     */
    public static Var sqrt(Var a) {
        Tensor out = Chunked.map(UnaryOp.SQRT, a.value());
        return Var.fromOp("sqrt", out,
                g -> new Tensor[] {Chunked.scale(0.5f, Chunked.binary(BinaryOp.DIV, g, out))}, a);
    }

    /**
     * {@code |a|}; the derivative at 0 is 0, as PyTorch's.
     *
     * @param a the input
     * @return the absolute value
     */
    public static Var abs(Var a) {
        Tensor x = a.value();
        return Var.fromOp("abs", Chunked.map(UnaryOp.ABS, x), g -> new Tensor[] {Chunked.mapBackward(UnaryOp.ABS, x, g)}, a);
    }

    /**
     * {@code a^p} elementwise; backward {@code g · p · a^(p-1)}. Negative bases with a non-integer
     * exponent give NaN, as in PyTorch; {@code p == 0} gives ones and a zero gradient everywhere.
     *
     * @param a the base
     * @param p the constant exponent
     * @return the power
     */
    public static Var pow(Var a, float p) {
        Tensor x = a.value();
        Tensor out;
        if (p == 2f) {
            out = Chunked.binary(BinaryOp.MUL, x, x); // exact, and what PyTorch computes for square
        } else if (p == 1f) {
            out = x.copy();
        } else {
            out = powMap(x, p);
        }
        return Var.fromOp("pow", out, g -> new Tensor[] {powBackward(x, g, p)}, a);
    }

    private static Tensor powMap(Tensor x, float p) {
        Tensor out = Tensor.zeros(x.shape());
        float[] xd = x.data();
        float[] od = out.data();
        int xo = x.offset();
        Parallel.forRange(x.numel(), Chunked.GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                od[i] = (float) Math.pow(xd[xo + i], p);
            }
        });
        return out;
    }

    private static Tensor powBackward(Tensor x, Tensor g, float p) {
        if (p == 0f) {
            return Tensor.zeros(x.shape()); // avoids 0 · 0^-1 = NaN at x = 0
        }
        if (p == 1f) {
            return g;
        }
        Tensor out = Tensor.zeros(x.shape());
        float[] xd = x.data();
        float[] gd = g.data();
        float[] od = out.data();
        int xo = x.offset();
        int go = g.offset();
        double pm1 = (double) p - 1.0;
        Parallel.forRange(x.numel(), Chunked.GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                od[i] = (float) (gd[go + i] * (p * Math.pow(xd[xo + i], pm1)));
            }
        });
        return out;
    }
}
