package org.lfssd.autograd.ops;

import org.lfssd.kernels.KernelProvider;

/**
 * The four broadcasting arithmetic ops, each as three row loops: both operands contiguous (the kernel
 * provider's SIMD loop), or one operand a single value repeated along the row (the broadcast pattern
 * of a {@code [C,1,1]} or {@code [N,1]} operand). The repeated-value loops are plain Java, which the JIT
 * vectorises; they compute exactly {@code a op b} per element, as the contiguous loop does.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD("add") {
        @Override
        void rows(KernelProvider k, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
            k.add(a, aOff, b, bOff, out, outOff, n);
        }

        @Override
        void rowScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a[aOff + i] + b;
            }
        }

        @Override
        void scalarRow(float a, float[] b, int bOff, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a + b[bOff + i];
            }
        }
    },
    /** {@code a - b}. */
    SUB("sub") {
        @Override
        void rows(KernelProvider k, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
            k.sub(a, aOff, b, bOff, out, outOff, n);
        }

        @Override
        void rowScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a[aOff + i] - b;
            }
        }

        @Override
        void scalarRow(float a, float[] b, int bOff, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a - b[bOff + i];
            }
        }
    },
    /** {@code a * b}. */
    MUL("mul") {
        @Override
        void rows(KernelProvider k, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
            k.mul(a, aOff, b, bOff, out, outOff, n);
        }

        @Override
        void rowScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a[aOff + i] * b;
            }
        }

        @Override
        void scalarRow(float a, float[] b, int bOff, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a * b[bOff + i];
            }
        }
    },
    /** {@code a / b}. */
    DIV("div") {
        @Override
        void rows(KernelProvider k, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
            k.div(a, aOff, b, bOff, out, outOff, n);
        }

        @Override
        void rowScalar(float[] a, int aOff, float b, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a[aOff + i] / b;
            }
        }

        @Override
        void scalarRow(float a, float[] b, int bOff, float[] out, int outOff, int n) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = a / b[bOff + i];
            }
        }
    };

    private final String opName;

    BinaryOp(String opName) {
        this.opName = opName;
    }

    /**
     * The op's name as it appears in error messages and on the tape.
     *
     * @return the name
     */
    public String opName() {
        return opName;
    }

    /** {@code out[i] = a[i] op b[i]} for {@code n} contiguous elements. */
    abstract void rows(KernelProvider k, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] op b}: the right operand is broadcast along the row. */
    abstract void rowScalar(float[] a, int aOff, float b, float[] out, int outOff, int n);

    /** {@code out[i] = a op b[i]}: the left operand is broadcast along the row. */
    abstract void scalarRow(float a, float[] b, int bOff, float[] out, int outOff, int n);
}
