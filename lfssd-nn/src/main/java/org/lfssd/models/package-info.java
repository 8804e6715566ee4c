/**
 * The networks of the papers, with PyTorch's parameter names so that their checkpoints load 1:1:
 * {@link org.lfssd.models.ResNet18} (the SSD code's CIFAR variant), {@link org.lfssd.models.TorchvisionResNet18}
 * (torchvision's names, ImageNet or CIFAR stem) and {@link org.lfssd.models.VisionTransformer} (timm's names;
 * {@link org.lfssd.models.HuggingFaceViT} loads Hugging Face ViT checkpoints into it).
 */
package org.lfssd.models;
