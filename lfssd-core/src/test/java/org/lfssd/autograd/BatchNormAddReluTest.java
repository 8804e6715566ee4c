package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * The fused eval-mode BatchNorm (+ residual) + ReLU gives the same bits, forward and every gradient, as the
 * three ops it replaces, which have their own gradient checks and PyTorch fixtures.
 */
class BatchNormAddReluTest {
    private static final float EPS = 1e-5f;

    /** {y, dx, dgamma, dbeta, dresidual} of either form; the seed gradient is fixed by {@code seed}. */
    private static Tensor[] run(boolean fused, boolean withResidual, boolean affine, long seed, int n, int c, int h, int w) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor xv = Tensor.randn(rng, 0f, 1f, n, c, h, w);
        // Exact zeros of the pre-activation and negative seeds exercise the mask's edge (0 and -0 gradients).
        xv.data()[0] = 0f;
        Tensor rm = Tensor.uniform(rng, -0.5f, 0.5f, c);
        rm.data()[0] = 0f;
        Tensor rvar = Tensor.uniform(rng, 0.5f, 2f, c);
        Var x = Var.param(xv);
        Var gamma = affine ? Var.param(Tensor.uniform(rng, 0.5f, 1.5f, c)) : null;
        Var beta = affine ? Var.param(Tensor.uniform(rng, -0.3f, 0.3f, c)) : null;
        if (affine) {
            beta.value().data()[0] = 0f;
        }
        Var r = withResidual ? Var.param(Tensor.randn(rng, 0f, 1f, n, c, h, w)) : null;
        if (withResidual) {
            r.value().data()[0] = 0f;
        }
        Tensor seedGrad = Tensor.randn(rng, 0f, 1f, n, c, h, w);
        Var y;
        if (fused) {
            y = F.batchNormAddReluEval(x, gamma, beta, rm, rvar, EPS, r);
        } else {
            Var z = F.batchNorm2d(x, gamma, beta, rm, rvar, false, 0.1f, EPS);
            y = F.relu(withResidual ? F.add(z, r) : z);
        }
        y.backward(seedGrad);
        return new Tensor[] {y.value(), x.grad(), affine ? gamma.grad() : null, affine ? beta.grad() : null,
            withResidual ? r.grad() : null};
    }

    @ParameterizedTest(name = "residual={0} affine={1} [{2},{3},{4},{5}]")
    @CsvSource({
        "false, true, 2, 3, 5, 7", "true, true, 2, 3, 5, 7", "true, false, 1, 5, 3, 3", "false, false, 3, 17, 1, 9",
        "true, true, 4, 64, 8, 8", "false, true, 1, 1, 1, 1",
    })
    void fusedEqualsTheThreeOpsBitForBit(boolean residual, boolean affine, int n, int c, int h, int w) {
        Tensor[] a = run(false, residual, affine, 11, n, c, h, w);
        Tensor[] b = run(true, residual, affine, 11, n, c, h, w);
        String[] names = {"y", "dx", "dgamma", "dbeta", "dresidual"};
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) {
                assertNull(b[i], names[i]);
            } else {
                assertArrayEquals(a[i].toArray(), b[i].toArray(), names[i]);
            }
        }
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] one = run(true, true, true, 5, 3, 70, 9, 9);
            Parallel.setThreads(2);
            Tensor[] two = run(true, true, true, 5, 3, 70, 9, 9);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i].toArray(), two[i].toArray(), "output " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aResidualOfAnotherShapeIsNamed() {
        Var x = Var.param(Tensor.zeros(2, 3, 4, 4));
        Var r = Var.param(Tensor.zeros(2, 3, 4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.batchNormAddReluEval(x, null, null, Tensor.zeros(3), Tensor.ones(3), EPS, r));
        assertTrue(e.getMessage().contains("residual") && e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
    }
}
