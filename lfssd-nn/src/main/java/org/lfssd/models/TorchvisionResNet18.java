package org.lfssd.models;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.AdaptiveAvgPool2d;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Conv2dOptions;
import org.lfssd.nn.Linear;
import org.lfssd.nn.MaxPool2d;
import org.lfssd.nn.Module;
import org.lfssd.nn.Sequential;

/**
 * ResNet18 with torchvision's state-dict keys ({@code conv1}, {@code bn1}, {@code layer1.0.conv1} ...
 * {@code layer4.1.bn2}, {@code layerN.0.downsample.0/1}, {@code fc}), so checkpoints of
 * {@code torchvision.models.resnet18} load 1:1. Two stems:
 * <ul>
 *   <li>{@link Stem#IMAGENET}: torchvision's own, {@code conv1} 7×7 stride 2 padding 3, BN, ReLU and
 *       {@code MaxPool2d(3, 2, 1)} (224×224 input);</li>
 *   <li>{@link Stem#CIFAR}: the common CIFAR adaptation, {@code conv1} 3×3 stride 1 padding 1 and no
 *       max-pool ({@code model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False); model.maxpool = nn.Identity()}),
 *       with the same keys (32×32 input).</li>
 * </ul>
 * The SSD code's own CIFAR network has other names; that is {@link ResNet18}. Weights start from PyTorch's
 * layer defaults, not torchvision's Kaiming-normal init: load a checkpoint for real use.
 */
public final class TorchvisionResNet18 extends Module {
    /** The first layers before {@code layer1}. */
    public enum Stem {
        /** torchvision's: 7×7/2 convolution and a 3×3/2 max-pool, for 224×224 ImageNet-size input. */
        IMAGENET,
        /** The CIFAR adaptation: 3×3/1 convolution, no max-pool, for 32×32 input. */
        CIFAR
    }

    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final int[] FIRST_STRIDES = {1, 2, 2, 2};

    private final Stem stem;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential[] layers = new Sequential[4];
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    /**
     * A torchvision-named ResNet18.
     *
     * @param stem        which stem to build
     * @param numClasses  size of the logit vector ({@code fc} output)
     * @param inChannels  image channels (3 for RGB)
     * @param widthDivisor divides 64/128/256/512 (1 is the real network; larger values make small test models)
     * @param rng         source of the initial weights
     */
    public TorchvisionResNet18(Stem stem, int numClasses, int inChannels, int widthDivisor, RandomGenerator rng) {
        this.stem = Objects.requireNonNull(stem, "stem");
        if (numClasses <= 0 || inChannels <= 0 || widthDivisor <= 0 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("TorchvisionResNet18: invalid numClasses=" + numClasses + " inChannels="
                    + inChannels + " widthDivisor=" + widthDivisor + " (must divide 64)");
        }
        int width = WIDTHS[0] / widthDivisor;
        this.conv1 = registerModule("conv1", stem == Stem.IMAGENET
                ? new Conv2d(inChannels, width, Conv2dOptions.kernel(7).stride(2).padding(3).bias(false), rng)
                : new Conv2d(inChannels, width, Conv2dOptions.kernel(3).padding(1).bias(false), rng));
        this.bn1 = registerModule("bn1", new BatchNorm2d(width));
        // torchvision registers relu and maxpool as modules too; neither has state-dict keys.
        this.maxpool = stem == Stem.IMAGENET ? registerModule("maxpool", new MaxPool2d(3, 2, 1)) : null;
        int in = width;
        for (int s = 0; s < 4; s++) {
            int out = WIDTHS[s] / widthDivisor;
            layers[s] = registerModule("layer" + (s + 1), new Sequential(
                    new TorchvisionBasicBlock(in, out, FIRST_STRIDES[s], rng),
                    new TorchvisionBasicBlock(out, out, 1, rng)));
            in = out;
        }
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d());
        this.fc = registerModule("fc", new Linear(in, numClasses, true, rng));
    }

    /**
     * torchvision's {@code resnet18(num_classes=numClasses)}: ImageNet stem, RGB, full width.
     *
     * @param numClasses size of the logit vector (1000 for ImageNet weights)
     * @param rng        source of the initial weights
     * @return the model
     */
    public static TorchvisionResNet18 imagenet(int numClasses, RandomGenerator rng) {
        return new TorchvisionResNet18(Stem.IMAGENET, numClasses, 3, 1, rng);
    }

    /**
     * The CIFAR variant (3×3 stem, no max-pool) with torchvision's names: RGB, full width.
     *
     * @param numClasses size of the logit vector
     * @param rng        source of the initial weights
     * @return the model
     */
    public static TorchvisionResNet18 cifar(int numClasses, RandomGenerator rng) {
        return new TorchvisionResNet18(Stem.CIFAR, numClasses, 3, 1, rng);
    }

    @Override
    public Var forward(Var x) {
        Var h = bn1.forwardAddRelu(conv1.forward(x), null);
        if (maxpool != null) {
            h = maxpool.forward(h);
        }
        for (Sequential layer : layers) {
            h = layer.forward(h);
        }
        return fc.forward(F.flatten(avgpool.forward(h), 1));
    }

    /**
     * The stem this model was built with.
     *
     * @return the stem
     */
    public Stem stem() {
        return stem;
    }

    /**
     * The classifier head.
     *
     * @return {@code fc}
     */
    public Linear fc() {
        return fc;
    }
}
