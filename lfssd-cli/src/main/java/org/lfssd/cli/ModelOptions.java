package org.lfssd.cli;

import picocli.CommandLine.Option;

/** The architecture and sizes, for checkpoints that do not record them (e.g. exported from PyTorch). */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "ARCH",
            description = "resnet18 (the SSD code's CIFAR ResNet18), resnet18-tv-cifar, resnet18-tv (torchvision names),"
                    + " vit-tiny-32 or vit-tiny-224. Default: recorded in the checkpoint, else recognised from its"
                    + " key names (torchvision, timm), else resnet18.")
    String arch;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes (default: from the checkpoint's head, else the data).")
    Integer classes;

    @Option(names = "--width-divisor", paramLabel = "K",
            description = "Divide the ResNet widths by K (default: from the checkpoint, else 1; small test models use 16).")
    Integer widthDivisor;
}
