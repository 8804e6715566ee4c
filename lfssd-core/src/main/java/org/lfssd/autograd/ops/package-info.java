/**
 * The implementations behind {@link org.lfssd.autograd.F}, one class per family of ops ({@code ConvOps},
 * {@code LossOps}, ...). Each op computes its output on the kernels of {@code org.lfssd.kernels} and hands
 * {@link org.lfssd.autograd.Var#fromOp} a closure that computes its input gradients.
 *
 * <h2>Adding an op</h2>
 * <ol>
 *   <li><b>Validate</b> the inputs' shapes and arguments first, and throw an
 *       {@link java.lang.IllegalArgumentException} that names the op and the shapes
 *       ({@code "conv2d: expected ..., got [2, 3, 4]"}).</li>
 *   <li><b>Compute</b> the output on {@code Kernels.provider()} or the GEMM, split into parallel tasks by problem
 *       size only ({@link org.lfssd.kernels.Parallel}), with reductions in a fixed order, so the result does
 *       not depend on the thread count.</li>
 *   <li><b>Capture</b> in the backward closure only what the derivative reads (a shape, the output, one
 *       operand), never the whole input {@code Var}s: every captured tensor stays alive until backward runs.
 *       Say in the class Javadoc what each backward keeps.</li>
 *   <li><b>{@code fromOp}</b>: {@code return Var.fromOp("opName", out, g -> new Tensor[] {dA, dB}, a, b);}.
 *       The closure returns one gradient per input, <em>in {@code fromOp}'s argument order</em>
 *       ({@code null} for an input that needs none); the engine checks each against its input's shape. It
 *       must not modify {@code g}.</li>
 *   <li>Expose it as one line in {@link org.lfssd.autograd.F}, with PyTorch's name.</li>
 *   <li><b>GradCheck test</b>: in the op family's test class, {@code GradCheck.check("opName", v -> F.op(v[0]),
 *       inputs...)} compares the backward with central differences.</li>
 *   <li><b>Torch fixture line</b>: one {@code case(...)} in {@code lfssd-core/src/test/python/make_op_fixtures.py}
 *       with PyTorch's definition, then run that script with Debian's PyTorch and commit the fixture.</li>
 *   <li><b>Parity-test builder</b>: one {@code b.put("opName", (fx, in, x) -> F.op(...))} in
 *       {@code TorchOpParityTest}, which then compares forward and every input gradient with the fixture.</li>
 * </ol>
 */
package org.lfssd.autograd.ops;
