package org.lfssd.unlearn;

import java.util.concurrent.atomic.AtomicInteger;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * A 2-layer perceptron {@code fc2(relu(fc1(x)))} built directly on {@link Module}, small enough that its
 * gradients can be written out by hand in the tests. Records whether its forward ran in training mode.
 */
final class TinyMlp extends Module {
    /** {@code x·Wᵀ + b} with parameters {@code weight [out, in]} and {@code bias [out]}. */
    static final class Dense extends Module {
        final Var weight;
        final Var bias;

        Dense(float[] w, float[] b) {
            weight = registerParameter("weight", Tensor.fromArray(w, b.length, w.length / b.length));
            bias = registerParameter("bias", Tensor.fromArray(b, b.length));
        }

        @Override
        public Var forward(Var x) {
            return F.linear(x, weight, bias);
        }
    }

    final Dense fc1;
    final Dense fc2;
    /** Forward calls; the importance pass calls forward from several threads at once (one per shard). */
    final AtomicInteger forwardCalls = new AtomicInteger();
    volatile boolean sawTrainingMode;

    TinyMlp(float[] w1, float[] b1, float[] w2, float[] b2) {
        fc1 = registerModule("fc1", new Dense(w1, b1));
        fc2 = registerModule("fc2", new Dense(w2, b2));
    }

    /** Random weights of the given sizes, N(0, 0.5²). */
    static TinyMlp random(java.util.random.RandomGenerator rng, int in, int hidden, int out) {
        return new TinyMlp(gauss(rng, hidden * in), gauss(rng, hidden), gauss(rng, out * hidden), gauss(rng, out));
    }

    private static float[] gauss(java.util.random.RandomGenerator rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 * rng.nextGaussian());
        }
        return v;
    }

    @Override
    public Var forward(Var x) {
        forwardCalls.incrementAndGet();
        if (isTraining()) {
            sawTrainingMode = true;
        }
        return fc2.forward(F.relu(fc1.forward(x)));
    }
}
