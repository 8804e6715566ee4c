package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

class ActivationOpsTest {

    private static final float[] X = {-2f, -1f, -0.5f, 0f, 0.5f, 1f, 2f};

    @Test
    void reluValuesAndGradientWithZeroAtTheKink() {
        Var x = Var.param(Tensor.fromArray(X, X.length));
        Var y = F.relu(x);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0.5f, 1, 2}, y.value().toArray());
        F.sum(y).backward();
        // PyTorch's convention: the derivative at exactly 0 is 0.
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, x.grad().toArray());
    }

    @Test
    void geluMatchesPyTorchExactForm() {
        // torch.nn.functional.gelu (approximate='none') and its gradient, torch 1.13, float32.
        float[] want = {-0.045500099658966064f, -0.1586552858352661f, -0.1542687863111496f, 0f,
            0.3457311987876892f, 0.8413447141647339f, 1.9544999599456787f};
        float[] wantGrad = {-0.08523187041282654f, -0.08331543207168579f, 0.1325049102306366f, 0.5f,
            0.867495059967041f, 1.083315372467041f, 1.085231900215149f};
        Var x = Var.param(Tensor.fromArray(X, X.length));
        Var y = F.gelu(x);
        assertArrayEquals(want, y.value().toArray(), 1e-6f);
        F.sum(y).backward();
        assertArrayEquals(wantGrad, x.grad().toArray(), 1e-6f);
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(21);
        // relu's kink is at 0: magnitudes >= 0.1 keep the 1e-2 finite-difference step on one side.
        Tensor awayFromZero = ElementwiseOpsTest.signedAwayFromZero(rng, 0.1f, 2f, 3, 7);
        GradCheck.check("relu", v -> F.relu(v[0]), awayFromZero);
        GradCheck.check("gelu", v -> F.gelu(v[0]), Tensor.uniform(rng, -3f, 3f, 3, 7));
        GradCheck.check("gelu rank 0", v -> F.gelu(v[0]), Tensor.full(0.7f));
    }

    @Test
    void largeActivationsAreBitIdenticalForOneAndTwoThreads() {
        Tensor x = Tensor.uniform(new SplittableRandom(22), -3f, 3f, 4, 16, 32, 32);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor[] one = run(x);
            Parallel.setThreads(2);
            Tensor[] two = run(x);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i].toArray(), two[i].toArray(), "result " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static Tensor[] run(Tensor x) {
        Var a = Var.param(x);
        Var y = F.gelu(F.relu(a));
        F.sum(y).backward();
        return new Tensor[] {y.value(), a.grad()};
    }
}
