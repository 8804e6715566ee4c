package org.lfssd.models;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
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

    /**
     * A block mapping {@code inChannels} to {@code outChannels} planes.
     *
     * @param inChannels  input planes
     * @param outChannels output planes
     * @param stride      stride of the first convolution and of the projection
     * @param rng         source of the initial weights
     */
    public BasicBlock(int inChannels, int outChannels, int stride, RandomGenerator rng) {
        this.residualFunction = registerModule("residual_function", new Sequential(
                new Conv2d(inChannels, outChannels, 3, stride, 1, false, rng),
                new BatchNorm2d(outChannels),
                new ReLU(),
                new Conv2d(outChannels, outChannels, 3, 1, 1, false, rng),
                new BatchNorm2d(outChannels)));
        Sequential sc = new Sequential();
        if (stride != 1 || inChannels != outChannels) {
            sc.add(new Conv2d(inChannels, outChannels, 1, stride, 0, false, rng));
            sc.add(new BatchNorm2d(outChannels));
        }
        this.shortcut = registerModule("shortcut", sc);
    }

    @Override
    public Var forward(Var x) {
        return F.relu(F.add(residualFunction.forward(x), shortcut.forward(x)));
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
