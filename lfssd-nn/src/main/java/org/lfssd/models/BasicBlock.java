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
 */
public final class BasicBlock extends Module {
    private final Sequential residualFunction;
    private final Sequential shortcut;
    // The residual function's layers, for the forward that fuses each BatchNorm with what follows it.
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

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
            sc.add(new Conv2d(inChannels, outChannels, Conv2dOptions.kernel(1).stride(stride).bias(false), rng));
            sc.add(new BatchNorm2d(outChannels));
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
     * True when the shortcut is a projection rather than the identity.
     *
     * @return whether the shortcut has a convolution
     */
    public boolean hasProjection() {
        return shortcut.size() > 0;
    }
}
