package org.lfssd.models;

import java.util.random.RandomGenerator;
import org.lfssd.autograd.Var;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Conv2dOptions;
import org.lfssd.nn.Module;
import org.lfssd.nn.Sequential;

/**
 * torchvision's {@code BasicBlock} with its state-dict names: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) +
 * downsample(x))}, where {@code downsample = [conv1x1(stride), BN]} exists only when the stride or the width
 * changes (otherwise the shortcut is the identity and has no keys).
 */
public final class TorchvisionBasicBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * A block mapping {@code inChannels} to {@code outChannels} planes.
     *
     * @param inChannels  input planes
     * @param outChannels output planes
     * @param stride      stride of {@code conv1} and of the projection
     * @param rng         source of the initial weights (PyTorch's layer defaults)
     */
    public TorchvisionBasicBlock(int inChannels, int outChannels, int stride, RandomGenerator rng) {
        this.conv1 = registerModule("conv1",
                new Conv2d(inChannels, outChannels, Conv2dOptions.kernel(3).stride(stride).padding(1).bias(false), rng));
        this.bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        this.conv2 = registerModule("conv2",
                new Conv2d(outChannels, outChannels, Conv2dOptions.kernel(3).padding(1).bias(false), rng));
        this.bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        this.downsample = stride != 1 || inChannels != outChannels
                ? registerModule("downsample", new Sequential(
                        new Conv2d(inChannels, outChannels, Conv2dOptions.kernel(1).stride(stride).bias(false), rng),
                        new BatchNorm2d(outChannels)))
                : null;
    }

    @Override
    public Var forward(Var x) {
        // Each BatchNorm fused with the ReLU (and the add) after it.
        Var h = bn1.forwardAddRelu(conv1.forward(x), null);
        Var z = conv2.forward(h);
        return bn2.forwardAddRelu(z, downsample == null ? x : downsample.forward(x));
    }

    /**
     * Whether the shortcut is a projection.
     *
     * @return true when this block has a {@code downsample} branch
     */
    public boolean hasDownsample() {
        return downsample != null;
    }
}
