package org.lfssd.nn;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Tensor;

/**
 * A layer or model: named parameters, buffers and child modules in registration order, so that
 * {@link #namedParameters()} and the state dict use exactly PyTorch's {@code state_dict} keys
 * ({@code conv2_x.0.residual_function.0.weight}, {@code blocks.3.attn.qkv.bias}, ...).
 */
public abstract class Module {
    private final Map<String, Var> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** Buffers that hold integer counts (PyTorch stores them as int64, e.g. {@code num_batches_tracked}). */
    private final Set<String> integerBuffers = new LinkedHashSet<>();
    private boolean training = true;
    /** The module this one was first registered in, and its name there; null/"" for a root. */
    private Module parent;
    private String nameInParent = "";

    /**
     * The forward pass; records on the autograd tape unless grad mode is disabled.
     *
     * @param x the input (a batch, first dimension = batch size)
     * @return the output
     */
    public abstract Var forward(Var x);

    /**
     * Registers a trainable parameter under {@code name} (PyTorch's {@code register_parameter}).
     *
     * @param name  the member name, without dots
     * @param value its initial value, used as the parameter's storage
     * @return the parameter
     */
    protected final Var registerParameter(String name, Tensor value) {
        checkFree(name);
        Var p = Var.param(value);
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a buffer: state that is saved and loaded but not trained (e.g. BatchNorm running statistics).
     *
     * @param name  the member name, without dots
     * @param value the buffer's storage
     * @return {@code value}
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkFree(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a buffer that holds an integer count. It lives in a float tensor here (exact up to 2^24),
     * but checkpoints store it as int64, as PyTorch does.
     *
     * @param name  the member name, without dots
     * @param value the buffer's storage (a single float holding the count)
     * @return {@code value}
     */
    protected final Tensor registerIntegerBuffer(String name, Tensor value) {
        registerBuffer(name, value);
        integerBuffers.add(name);
        return value;
    }

    /**
     * Registers a child module, whose members then appear under {@code name + "."} in the state dict.
     *
     * @param <M>   the child's type
     * @param name  the member name, without dots
     * @param child the child
     * @return {@code child}
     */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkFree(name);
        children.put(name, child);
        // The first parent wins: a module shared by two parents keeps the path where it first appeared.
        Module c = child; // private fields are not reachable through the type variable
        if (c.parent == null && c != this) {
            c.parent = this;
            c.nameInParent = name;
        }
        return child;
    }

    /**
     * This module's dotted path from the root of the model it was registered in, as in PyTorch's
     * {@code named_modules()} (e.g. {@code conv2_x.0.residual_function.0}); {@code ""} for the root.
     *
     * @return the path, which prefixes this module's state-dict keys
     */
    public final String path() {
        if (parent == null) {
            return "";
        }
        String up = parent.path();
        return up.isEmpty() ? nameInParent : up + "." + nameInParent;
    }

    /**
     * Prefixes a failure of this module's computation with where in the model it happened, so that a
     * shape error deep inside a network names the layer ({@code module conv1.0 (Conv2d): ...}).
     *
     * @param e    the failure, typically a shape error of an op
     * @param hint an extra sentence appended to the message, or null
     * @return a new exception with the located message and {@code e} as its cause
     */
    protected final IllegalArgumentException located(IllegalArgumentException e, String hint) {
        String where = path().isEmpty() ? getClass().getSimpleName()
                : "module " + path() + " (" + getClass().getSimpleName() + ")";
        return new IllegalArgumentException(where + ": " + e.getMessage() + (hint == null ? "" : " " + hint), e);
    }

    private void checkFree(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid member name '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a member named '" + name + "'");
        }
    }

    /** This module's own parameters (not its children's), in registration order; an unmodifiable view. */
    final Map<String, Var> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Direct children in registration order.
     *
     * @return an unmodifiable view
     */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /**
     * All parameters, own first then each child's, keyed by dotted path (PyTorch's {@code named_parameters()}).
     * A parameter reachable under several names (a module registered twice, i.e. tied weights) is listed
     * once, under the first name, as PyTorch does: every consumer (optimisers, importance, dampening,
     * fingerprints) must see it once, or it would be updated or dampened twice.
     *
     * @return a new map; the parameters are the live ones
     */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collectParameters("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectParameters(String prefix, Map<String, Var> out, Set<Var> seen) {
        parameters.forEach((n, p) -> {
            if (seen.add(p)) {
                out.put(prefix + n, p);
            }
        });
        children.forEach((n, c) -> c.collectParameters(prefix + n + ".", out, seen));
    }

    /**
     * All buffers (BatchNorm running statistics and counters), keyed by dotted path; like
     * {@link #namedParameters()}, a shared buffer is listed once, under its first name.
     *
     * @return a new map; the buffers are the live ones
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out, Set<Tensor> seen) {
        buffers.forEach((n, b) -> {
            if (seen.add(b)) {
                out.put(prefix + n, b);
            }
        });
        children.forEach((n, c) -> c.collectBuffers(prefix + n + ".", out, seen));
    }

    /**
     * This module (key {@code ""}) and all descendants, each before its children, keyed by dotted path
     * (PyTorch's {@code named_modules()}).
     *
     * @return a new map, root first
     */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String path, Module m, Map<String, Module> out) {
        out.put(path, m);
        m.children.forEach((n, c) -> collectModules(path.isEmpty() ? n : path + "." + n, c, out));
    }

    /**
     * Parameter values and buffers keyed exactly as PyTorch's {@code state_dict()}: for each module in
     * pre-order, its own parameters, then its own buffers, then its children. The tensors are the live
     * ones (loading into or stepping the model changes them); copy them for a snapshot. Unlike
     * {@link #namedParameters()}, a tied parameter appears under each of its names, as in PyTorch.
     *
     * @return a new map of the live tensors
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.value()));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, c) -> c.collectState(prefix + n + ".", out));
    }

    /**
     * The state-dict keys of buffers that checkpoints store as int64 ({@code num_batches_tracked}).
     *
     * @return the keys, in state-dict order
     */
    public final Set<String> integerStateKeys() {
        Set<String> out = new LinkedHashSet<>();
        namedModules().forEach((path, m) -> m.integerBuffers.forEach(n -> out.add(path.isEmpty() ? n : path + "." + n)));
        return out;
    }

    /**
     * Copies {@code state} into this model's parameters and buffers in place (so optimisers holding the
     * parameters stay valid). See {@link StateDicts#load} for the strict / non-strict rules.
     *
     * @param state  tensors by state-dict key
     * @param strict whether missing and unexpected keys are errors
     * @return the keys a non-strict load skipped
     */
    public final StateDicts.LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        return StateDicts.load(this, state, strict);
    }

    /** {@return true in training mode (BatchNorm uses batch statistics, dropout is active)} */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Sets training mode on this module and every descendant; returns this.
     *
     * @param mode true for training mode, false for eval mode
     * @return this module
     */
    public final Module train(boolean mode) {
        training = mode;
        children.values().forEach(c -> c.train(mode));
        return this;
    }

    /**
     * Sets training mode on this module and every descendant.
     *
     * @return this module
     */
    public final Module train() {
        return train(true);
    }

    /**
     * Sets eval mode on this module and every descendant (PyTorch's {@code eval()}).
     *
     * @return this module
     */
    public final Module eval() {
        return train(false);
    }

    /** Forgets every parameter's gradient. */
    public final void clearGrads() {
        namedParameters().values().forEach(Var::clearGrad);
    }

    /** {@return the number of scalar trainable parameters} */
    public final long parameterCount() {
        long n = 0;
        for (Var p : namedParameters().values()) {
            n += p.value().numel();
        }
        return n;
    }

    /**
     * The module tree as PyTorch prints a model: one line per module, {@code (name): Class(...)}, children
     * indented, each leaf with its parameters' shapes, and every module with its trainable parameter count
     * (a parameter shared by two modules counts once). For example, for a two-layer MLP:
     * <pre>
     * Sequential(  618 parameters
     *   (0): Linear(weight=[32, 8], bias=[32])  288 parameters
     *   (1): ReLU()
     *   (2): Linear(weight=[10, 32], bias=[10])  330 parameters
     * )
     * </pre>
     *
     * @return the tree, several lines without a trailing newline
     */
    @Override
    public String toString() {
        return ModuleTree.of(this);
    }
}
