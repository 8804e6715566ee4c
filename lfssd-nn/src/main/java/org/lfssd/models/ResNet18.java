package org.lfssd.models;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.AdaptiveAvgPool2d;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Conv2dOptions;
import org.lfssd.nn.Linear;
import org.lfssd.nn.Module;
import org.lfssd.nn.ReLU;
import org.lfssd.nn.Sequential;

/**
 * The CIFAR ResNet18 of the SSD code (pytorch-cifar100's {@code resnet18}), with identical state-dict
 * keys: {@code conv1} = [conv3x3 (no bias), BN, ReLU] and no max-pool; {@code conv2_x..conv5_x} of two
 * {@link BasicBlock}s each (64/128/256/512 channels, first-block strides 1/2/2/2); {@code avg_pool};
 * {@code fc}. Initialised with PyTorch's layer defaults (the SSD code adds no custom init).
 *
 * <p>In eval mode every layer passes channels-last activations ({@code [N, H, W, C]}) on: the input image
 * is transposed once, the stem and every block run channels-last (convolutions and BatchNorm+add+ReLU on
 * that layout), and the last block's output is transposed back before the pooling. Training mode runs the
 * modules in NCHW. Parameters, buffers and state-dict keys are the same either way; so are the values, except that the BatchNorm gamma/beta
 * gradients are sums in another order (see {@code BatchNormOps.batchNormEvalChannelsLast}).
 *
 * <p>A width divisor shrinks every channel count (for fast tests); 1 is the real network, which has
 * 11,173,962 parameters for 10 classes.
 */
public final class ResNet18 extends Module {
    private static final int[] BASE_WIDTHS = {64, 128, 256, 512};
    private static final int[] FIRST_STRIDES = {1, 2, 2, 2};

    private final int numClasses;
    private final Sequential conv1;
    private final Conv2d stemConv;
    private final BatchNorm2d stemBn;
    private final Sequential[] stages = new Sequential[4];
    private final BasicBlock[] blocks = new BasicBlock[8];
    private final AdaptiveAvgPool2d avgPool;
    private final Linear fc;

    /**
     * @param numClasses   size of the logit vector
     * @param inChannels   image channels (3 for CIFAR)
     * @param widthDivisor divides 64/128/256/512; must divide 64
     * @param rng          source of the initial weights
     */
    public ResNet18(int numClasses, int inChannels, int widthDivisor, RandomGenerator rng) {
        if (numClasses <= 0 || inChannels <= 0 || widthDivisor <= 0 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("ResNet18: invalid numClasses=" + numClasses + " inChannels=" + inChannels
                    + " widthDivisor=" + widthDivisor + " (must divide 64)");
        }
        this.numClasses = numClasses;
        int width = BASE_WIDTHS[0] / widthDivisor;
        this.stemConv = new Conv2d(inChannels, width, Conv2dOptions.kernel(3).padding(1).bias(false), rng);
        this.stemBn = new BatchNorm2d(width);
        this.conv1 = registerModule("conv1", new Sequential(stemConv, stemBn, new ReLU()));
        int in = width;
        for (int s = 0; s < 4; s++) {
            int out = BASE_WIDTHS[s] / widthDivisor;
            blocks[2 * s] = new BasicBlock(in, out, FIRST_STRIDES[s], rng);
            blocks[2 * s + 1] = new BasicBlock(out, out, 1, rng);
            stages[s] = registerModule("conv" + (s + 2) + "_x", new Sequential(blocks[2 * s], blocks[2 * s + 1]));
            in = out;
        }
        this.avgPool = registerModule("avg_pool", new AdaptiveAvgPool2d());
        this.fc = registerModule("fc", new Linear(in, numClasses, true, rng));
    }

    /**
     * The full-width CIFAR network for RGB input.
     *
     * @param numClasses size of the logit vector
     * @param rng        source of the initial weights
     */
    public ResNet18(int numClasses, RandomGenerator rng) {
        this(numClasses, 3, 1, rng);
    }

    @Override
    public Var forward(Var x) {
        Var h;
        if (channelsLastApplies()) {
            // Eval mode: every layer passes channels-last activations on, so the stem's BatchNorm+ReLU and its
            // backward run on pixels like the blocks'. (Under auto the 3-channel stem convolution is im2col,
            // which conv2dChannelsLast runs between transposes of its own.)
            h = F.toChannelsLast(x);
            // conv1 is [conv, BN, ReLU]; the BatchNorm and the ReLU run as one op.
            h = stemBn.forwardChannelsLast(stemConv.forwardChannelsLast(h), null, true);
            for (BasicBlock block : blocks) {
                h = block.forwardChannelsLast(h);
            }
            h = F.toNchw(h);
        } else {
            h = stemBn.forwardAddRelu(stemConv.forward(x), null);
            for (Sequential stage : stages) {
                h = stage.forward(h);
            }
        }
        return fc.forward(F.flatten(avgPool.forward(h), 1));
    }

    private boolean channelsLastApplies() {
        if (stemBn.isTraining()) {
            return false;
        }
        for (BasicBlock block : blocks) {
            if (!block.channelsLastApplies()) {
                return false;
            }
        }
        return true;
    }

    /** {@return the size of the logit vector} */
    public int numClasses() {
        return numClasses;
    }

    /** {@return the classifier head} */
    public Linear fc() {
        return fc;
    }
}
