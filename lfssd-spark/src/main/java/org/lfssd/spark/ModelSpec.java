package org.lfssd.spark;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.lfssd.models.ResNet18;
import org.lfssd.models.TorchvisionResNet18;
import org.lfssd.nn.Module;

/**
 * The architecture of the model whose Ω_D is computed: how an executor builds an empty model, into which the
 * broadcast checkpoint is then loaded strictly. Implementations must be serializable (they travel to the
 * executors with the job), so a lambda works only if its target type is this interface.
 */
@FunctionalInterface
public interface ModelSpec extends Serializable {
    /**
     * Builds the model with arbitrary initial weights (the checkpoint replaces every one of them).
     *
     * @return a new model
     */
    Module create();

    /**
     * The SSD code's CIFAR ResNet18 ({@link ResNet18}).
     *
     * @param numClasses   classes of the head
     * @param inChannels   input channels (3 for RGB, 1 for Fashion-MNIST)
     * @param widthDivisor divides every channel count (1 is the real network)
     * @return the spec
     */
    static ModelSpec resnet18(int numClasses, int inChannels, int widthDivisor) {
        return () -> new ResNet18(numClasses, inChannels, widthDivisor, new SplittableRandom(0));
    }

    /**
     * torchvision's ResNet18 with the ImageNet stem ({@link TorchvisionResNet18#imagenet}).
     *
     * @param numClasses classes of the head
     * @return the spec
     */
    static ModelSpec torchvisionResNet18ImageNet(int numClasses) {
        return () -> TorchvisionResNet18.imagenet(numClasses, new SplittableRandom(0));
    }

    /**
     * torchvision's ResNet18 with the CIFAR stem ({@link TorchvisionResNet18#cifar}).
     *
     * @param numClasses classes of the head
     * @return the spec
     */
    static ModelSpec torchvisionResNet18Cifar(int numClasses) {
        return () -> TorchvisionResNet18.cifar(numClasses, new SplittableRandom(0));
    }
}
