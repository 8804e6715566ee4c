/**
 * A define-by-run autograd with hand-written backwards.
 *
 * <ul>
 *   <li>{@link org.lfssd.autograd.Var}: a tensor on the tape. Every op computes its value at once and, when
 *       grad mode is on and an input requires a gradient, records a {@link org.lfssd.autograd.Node} holding
 *       its {@link org.lfssd.autograd.BackwardFn}.</li>
 *   <li>{@link org.lfssd.autograd.Var#backward()} sorts the recorded graph once, walks it in reverse, checks
 *       that every gradient an op returns has its input's shape (the error names the op), adds the gradients
 *       into the leaves, and releases the nodes so that saved activations can be collected.</li>
 *   <li>{@link org.lfssd.autograd.F} lists every differentiable op in one place, PyTorch's names
 *       ({@code torch.nn.functional}); the implementations live in {@code org.lfssd.autograd.ops}, one
 *       class per family, with the recipe for adding an op in that package's documentation.</li>
 *   <li>{@link org.lfssd.autograd.GradMode} turns recording off for inference.</li>
 * </ul>
 */
package org.lfssd.autograd;
