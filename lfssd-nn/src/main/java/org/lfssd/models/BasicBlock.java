package org.lfssd.models;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Conv2dOptions;
import org.lfssd.nn.Module;
import org.lfssd.nn.ReLU;
import org.lfssd.nn.Sequential;

/**
 * ResNet's basic block as in the SSD code: {@code relu(residual_function(x) + shortcut(x))} with
 * {@code residual_function = [conv3x3(stride), BN, ReLU, conv3x3, BN]} and {@code shortcut} a
 * {@code [conv1x1(stride), BN]} projection when the stride or the channel count changes, otherwise an
 * empty Sequential (the identity, which has no state-dict keys).
 *
 * <p>Besides the NCHW {@link #forward}, an eval-mode block can run on channels-last activations
 * ({@code [N, H, W, C]}, {@link #forwardChannelsLast}), which {@link ResNet18} uses between its stem and
 * its pooling: the convolutions read and write that layout directly and the BatchNorms (with the ReLU
 * and the residual add) work on it with each channel's parameters at index {@code i % C}, so no layer
 * transposes its input or output. The modules, parameters and state-dict keys are the same either way.
 */
public final class BasicBlock extends Module {
    private final Sequential residualFunction;
    private final Sequential shortcut;
    // The residual function's layers, for the forward that fuses each BatchNorm with what follows it.
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    // The projection's layers, or null for the identity shortcut.
    private final Conv2d shortcutConv;
    private final BatchNorm2d shortcutBn;

    /**
     * A block mapping {@code inChannels} to {@code outChannels} planes.
     *
     * @param inChannels  input planes
     * @param outChannels output planes
     * @param stride      stride of the first convolution and of the projection
     * @param rng         source of the initial weights
     */
    public BasicBlock(int inChannels, int outChannels, int stride, RandomGenerator rng) {
        this.conv1 = new Conv2d(inChannels, outChannels, Conv2dOptions.kernel(3).stride(stride).padding(1).bias(false), rng);
        this.bn1 = new BatchNorm2d(outChannels);
        this.conv2 = new Conv2d(outChannels, outChannels, Conv2dOptions.kernel(3).padding(1).bias(false), rng);
        this.bn2 = new BatchNorm2d(outChannels);
        this.residualFunction = registerModule("residual_function", new Sequential(conv1, bn1, new ReLU(), conv2, bn2));
        Sequential sc = new Sequential();
        if (stride != 1 || inChannels != outChannels) {
            this.shortcutConv = new Conv2d(inChannels, outChannels, Conv2dOptions.kernel(1).stride(stride).bias(false), rng);
            this.shortcutBn = new BatchNorm2d(outChannels);
            sc.add(shortcutConv);
            sc.add(shortcutBn);
        } else {
            this.shortcutConv = null;
            this.shortcutBn = null;
        }
        this.shortcut = registerModule("shortcut", sc);
    }

    @Override
    public Var forward(Var x) {
        // relu(residual_function(x) + shortcut(x)), with each BatchNorm fused with the ReLU (and the add) after it.
        Var h = bn1.forwardAddRelu(conv1.forward(x), null);
        return bn2.forwardAddRelu(conv2.forward(h), shortcut.forward(x));
    }

    /**
     * Whether {@link #forwardChannelsLast} applies: every BatchNorm of the block is in eval mode.
     *
     * @return true when the block can run channels-last
     */
    boolean channelsLastApplies() {
        return !bn1.isTraining() && !bn2.isTraining() && (shortcutBn == null || !shortcutBn.isTraining());
    }

    /**
     * {@link #forward} on channels-last activations, in eval mode: the same values, {@code [N, H, W, in]} to
     * {@code [N, H', W', out]}.
     *
     * @param x the input {@code [N, H, W, in]}
     * @return the block's output {@code [N, H', W', out]}
     */
    Var forwardChannelsLast(Var x) {
        Var h = bn1.forwardChannelsLast(conv1.forwardChannelsLast(x), null, true);
        Var s = shortcutConv == null ? x : shortcutBn.forwardChannelsLast(shortcutConv.forwardChannelsLast(x), null, false);
        return bn2.forwardChannelsLast(conv2.forwardChannelsLast(h), s, true);
    }

    /**
     * True when the shortcut is a projection rather than the identity.
     *
     * @return whether the shortcut has a convolution
     */
    public boolean hasProjection() {
        return shortcut.size() > 0;
    }
}
