/**
 * Layers as PyTorch's {@code torch.nn}: {@link org.lfssd.nn.Module} (named parameters, buffers and
 * sub-modules whose dotted names are exactly PyTorch's {@code state_dict} keys; {@code train()}/{@code eval()};
 * a {@code toString()} that prints the module tree as PyTorch does), the layers themselves
 * ({@link org.lfssd.nn.Conv2d}, {@link org.lfssd.nn.BatchNorm2d}, {@link org.lfssd.nn.Linear},
 * {@link org.lfssd.nn.LayerNorm}, {@link org.lfssd.nn.Attention}, {@link org.lfssd.nn.TransformerBlock}, ...) and
 * {@link org.lfssd.nn.Sequential}.
 *
 * <p>State dicts and files: {@link org.lfssd.nn.StateDicts} (load, rename, strip a prefix) and
 * {@link org.lfssd.nn.Checkpoints} (safetensors checkpoints, strict or reporting
 * {@link org.lfssd.nn.KeyMismatch}es; a {@code torch.save} file is recognised and the error says how to
 * convert it). Every layer's forward goes through {@link org.lfssd.autograd.F}.
 */
package org.lfssd.nn;
