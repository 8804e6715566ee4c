package org.lfssd.nn;

import java.util.random.RandomGenerator;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * PyTorch's parameter initialisations, drawn from an explicit seeded generator so that a model built
 * twice with the same seed is identical. (The draws are PyTorch's distributions, not its random streams:
 * values differ from a torch model built with the same seed.)
 */
public final class Init {
    private Init() {}

    /**
     * {@code fan_in} as PyTorch computes it: the size of dimension 1 times the receptive field
     * ({@code in} for a {@code [out, in]} Linear weight, {@code in·kh·kw} for a conv weight).
     *
     * @param shape a weight shape, output dimension first
     * @return the product of all dimensions but the first
     */
    public static int fanIn(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fanIn: needs a weight of rank >= 2, got shape " + Shapes.str(shape));
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return shape[1] * receptive;
    }

    /**
     * {@code kaiming_uniform_(w, a=√5)}, the default of {@code nn.Linear} and {@code nn.Conv2d}:
     * gain {@code √(2/(1+a²)) = √(1/3)}, so the bound {@code gain·√3/√fan_in} is exactly {@code 1/√fan_in}.
     *
     * @param rng   the random source
     * @param shape the weight shape
     * @return a new tensor
     */
    public static Tensor kaimingUniformDefault(RandomGenerator rng, int... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn(shape)));
        return Tensor.uniform(rng, -bound, bound, shape);
    }

    /**
     * The default bias of {@code nn.Linear}/{@code nn.Conv2d}: uniform in {@code ±1/√fan_in} of its weight.
     *
     * @param rng   the random source
     * @param fanIn the fan-in of the layer's weight
     * @param size  the number of output features
     * @return a new tensor
     */
    public static Tensor defaultBias(RandomGenerator rng, int fanIn, int size) {
        if (fanIn <= 0) {
            return Tensor.zeros(size);
        }
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return Tensor.uniform(rng, -bound, bound, size);
    }

    /**
     * {@code trunc_normal_(std=std, a=lo, b=hi)}: normal(0, std) conditioned on {@code [lo, hi]}, with
     * absolute (not std-relative) bounds as in PyTorch and timm, sampled by rejection.
     *
     * @param rng   the random source
     * @param std   the standard deviation before truncation
     * @param lo    the lower bound
     * @param hi    the upper bound
     * @param shape the shape
     * @return a new tensor
     */
    public static Tensor truncNormal(RandomGenerator rng, double std, double lo, double hi, int... shape) {
        if (!(std > 0) || !(lo < hi) || hi < -3 * std || lo > 3 * std) {
            // Outside ±3σ, rejection would need too many draws; nothing in our models asks for that.
            throw new IllegalArgumentException("truncNormal: unsupported std " + std + " with bounds [" + lo + ", " + hi + "]");
        }
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double v;
            do {
                v = std * rng.nextGaussian();
            } while (v < lo || v > hi);
            d[i] = (float) v;
        }
        return t;
    }

    /**
     * {@code trunc_normal_(std=std)} with PyTorch's default bounds {@code [-2, 2]} (timm's ViT weights).
     *
     * @param rng   the random source
     * @param std   the standard deviation
     * @param shape the shape
     * @return a new tensor
     */
    public static Tensor truncNormal(RandomGenerator rng, double std, int... shape) {
        return truncNormal(rng, std, -2.0, 2.0, shape);
    }

    /**
     * {@code normal_(std=std)}.
     *
     * @param rng   the random source
     * @param std   the standard deviation
     * @param shape the shape
     * @return a new tensor
     */
    public static Tensor normal(RandomGenerator rng, double std, int... shape) {
        return Tensor.randn(rng, 0f, (float) std, shape);
    }
}
