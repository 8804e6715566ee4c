package org.lfssd.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * A tensor on the autograd tape: its value, whether it requires a gradient, its accumulated gradient,
 * and (if an op produced it) the node that knows how to send gradients back to the op's inputs.
 *
 * <p>Define-by-run: every op in {@link F} computes its value immediately and, when grad mode is on and
 * some input requires a gradient, records a node. {@link #backward()} sorts the graph reachable from
 * this scalar once, walks it in reverse, adds ({@code +=}) gradients into the leaves' {@link #grad()},
 * and releases every node it passed so that saved activations can be collected.
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    private Node node;
    private Tensor grad;
    /** During backward: whether {@link #grad} is our own tensor (true) or borrowed from a backward fn. */
    private boolean gradOwned;

    private Var(Tensor value, boolean requiresGrad, Node node) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /**
     * A value that needs no gradient (inputs, labels, buffers).
     *
     * @param value the value
     * @return a constant
     */
    public static Var constant(Tensor value) {
        return new Var(value, false, null);
    }

    /**
     * A leaf that requires a gradient (a parameter).
     *
     * @param value the initial value, used as storage
     * @return a parameter
     */
    public static Var param(Tensor value) {
        return new Var(value, true, null);
    }

    /**
     * The output of an op. Records {@code backward} on the tape when grad mode is on and any input
     * requires a gradient; otherwise returns a constant and the closure is dropped.
     *
     * @param op       the op's name, for error messages
     * @param value    the computed value
     * @param backward  maps the output gradient to one gradient per input, in {@code inputs} order
     * @param inputs   the op's inputs (null entries allowed for absent optional inputs)
     * @return the recorded output, or a constant
     */
    public static Var fromOp(String op, Tensor value, BackwardFn backward, Var... inputs) {
        if (GradMode.isEnabled()) {
            for (Var in : inputs) {
                if (in != null && in.requiresGrad) {
                    return new Var(value, true, new Node(op, inputs.clone(), backward));
                }
            }
        }
        return new Var(value, false, null);
    }

    /** {@return the value (live)} */
    public Tensor value() {
        return value;
    }

    /** {@return true for parameters and for op outputs that depend on one} */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * True for parameters and constants; false for op outputs that were recorded.
     *
     * @return whether this is a leaf
     */
    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null if no backward has reached it since the last clear.
     *
     * @return the gradient or null
     */
    public Tensor grad() {
        return grad;
    }

    /** Sets the gradient to zeros of the value's shape (keeps the tensor if there is one). */
    public void zeroGrad() {
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        } else {
            grad.fill(0f);
        }
        gradOwned = true;
    }

    /** Forgets the gradient (like PyTorch's {@code set_to_none}). */
    public void clearGrad() {
        grad = null;
        gradOwned = false;
    }

    /**
     * The same value, cut off from the tape.
     *
     * @return a constant holding this value
     */
    public Var detach() {
        return constant(value);
    }

    /** {@return the value's dimensions} */
    public int[] shape() {
        return value.shape();
    }

    /** {@return the value's number of dimensions} */
    public int dim() {
        return value.dim();
    }

    /**
     * The size of dimension {@code d}.
     *
     * @param d the dimension, negative counts from the end
     * @return its size
     */
    public int size(int d) {
        return value.size(d);
    }

    /** Backward from a one-element output with seed gradient 1. */
    public void backward() {
        if (value.numel() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar output, got shape " + Shapes.str(value.shape())
                    + "; pass a seed gradient with backward(Tensor)");
        }
        backward(Tensor.ones(value.shape()));
    }

    /**
     * Backward with an explicit seed gradient of this value's shape.
     *
     * @param seed the gradient of the final result with respect to this value
     */
    public void backward(Tensor seed) {
        backward(seed, null);
    }

    /**
     * Backward with an explicit seed gradient, putting the leaves' gradients into {@code leaves} instead of
     * their {@link #grad()}: the leaves' own fields are neither read nor written. Backward passes over
     * graphs that share leaves (the shards of one batch, on different threads) can then run side by side,
     * each into its own {@link LeafGradients}. A leaf gets the same values, in the same order of additions,
     * as it would in its grad field.
     *
     * @param seed   the gradient of the final result with respect to this value
     * @param leaves where the leaves' gradients go, or null for their grad fields
     */
    public void backward(Tensor seed, LeafGradients leaves) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a value that does not require a gradient"
                    + " (no input requires one, or it was computed with grad mode disabled)");
        }
        Shapes.requireSame("backward seed", value.shape(), seed.shape());
        if (node != null && node.isReleased()) {
            node.backward(); // throws the explanatory error
        }
        List<Var> order = topologicalOrder(this);
        // Inside a StepArena, gradients made during this pass go back to it once no Var holds them.
        GradientRecycler recycler = GradientRecycler.start();
        accumulate(this, seed, recycler, leaves);
        for (int i = order.size() - 1; i >= 0; i--) {
            // Drop the tape's reference as we go: once its consumers are done, an intermediate Var (and
            // its value) is reachable only from user code, so activations are freed during the pass.
            Var v = order.set(i, null);
            Node n = v.node;
            if (n == null) {
                continue;
            }
            Tensor g = v.grad;
            Var[] inputs = n.inputs();
            Tensor[] grads = null;
            if (g != null) {
                grads = n.backward().apply(g);
                if (grads.length != inputs.length) {
                    throw new IllegalStateException("backward of '" + n.op + "' returned " + grads.length
                            + " gradients for " + inputs.length + " inputs");
                }
                for (int j = 0; j < inputs.length; j++) {
                    Var in = inputs[j];
                    if (in != null && in.requiresGrad && grads[j] != null) {
                        if (!Arrays.equals(grads[j].shape(), in.value.shape())) {
                            throw new IllegalStateException("backward of '" + n.op + "' gave input " + j + " a gradient of shape "
                                    + Shapes.str(grads[j].shape()) + " for a value of shape " + Shapes.str(in.value.shape()));
                        }
                        accumulate(in, grads[j], recycler, leaves);
                    }
                }
            }
            // Intermediate gradients and saved tensors are no longer needed.
            v.grad = null;
            v.gradOwned = false;
            n.release();
            if (recycler != null && g != null) {
                recycler.drop(g);
                for (Tensor gj : grads) {
                    if (gj != null) {
                        recycler.releaseIfUnheld(gj);
                    }
                }
            }
        }
    }

    private static void accumulate(Var v, Tensor g, GradientRecycler recycler, LeafGradients leaves) {
        if (leaves != null && v.node == null) {
            leaves.accumulate(v, g);
            return;
        }
        if (v.grad == null) {
            if (v.node == null) {
                v.grad = g.copy(); // a leaf's gradient outlives this pass: own it
                v.gradOwned = true;
            } else {
                v.grad = g; // borrowed until a second contribution arrives
                v.gradOwned = false;
                if (recycler != null) {
                    recycler.hold(g);
                }
            }
        } else if (v.gradOwned) {
            v.grad.addInPlace(g);
        } else {
            Tensor borrowed = v.grad;
            v.grad = borrowed.add(g);
            v.gradOwned = true;
            if (recycler != null) {
                recycler.hold(v.grad);
                recycler.drop(borrowed);
            }
        }
    }

    /** Vars reachable from {@code root} through recorded nodes, each after all of its inputs. */
    private static List<Var> topologicalOrder(Var root) {
        List<Var> order = new ArrayList<>();
        Map<Var, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Var v = (Var) frame[0];
            int next = (Integer) frame[1];
            Var[] inputs = v.node == null ? new Var[0] : v.node.inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Var in = inputs[next];
                if (in != null && in.requiresGrad && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "Var(" + value + (requiresGrad ? ", requiresGrad" : "") + (node != null ? ", op=" + node.op : "") + ")";
    }
}
