package org.lfssd.optim;

import java.util.Arrays;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/** One supervised training step with the batch-mean cross-entropy loss. */
public final class TrainStep {
    private TrainStep() {}

    /**
     * Puts {@code model} in training mode, clears the gradients, runs forward on {@code images}, takes the
     * mean cross-entropy against {@code labels}, back-propagates and lets {@code optimizer} step.
     *
     * @param model     the model (put in training mode)
     * @param optimizer the optimiser over the model's parameters
     * @param images    a batch {@code [B, ...]}
     * @param labels    B class labels
     * @return the loss before the update
     */
    public static float crossEntropy(Module model, Optimizer optimizer, Tensor images, int[] labels) {
        if (images.dim() == 0 || images.size(0) != labels.length) {
            throw new IllegalArgumentException("TrainStep.crossEntropy: " + labels.length + " labels for a batch of shape "
                    + Arrays.toString(images.shape()));
        }
        model.train();
        optimizer.zeroGrad();
        Var loss = F.crossEntropy(model.forward(Var.constant(images)), labels);
        loss.backward();
        optimizer.step();
        return loss.value().item();
    }

    /**
     * As {@link #crossEntropy(Module, Optimizer, Tensor, int[])}, first setting the learning rate of {@code step}.
     *
     * @param model     the model (put in training mode)
     * @param optimizer the optimiser over the model's parameters
     * @param schedule  the learning-rate schedule
     * @param step      the 0-based step, passed to the schedule
     * @param images    a batch {@code [B, ...]}
     * @param labels    B class labels
     * @return the batch-mean cross-entropy before the update
     */
    public static float crossEntropy(Module model, Optimizer optimizer, LrSchedule schedule, long step, Tensor images, int[] labels) {
        schedule.apply(optimizer, step);
        return crossEntropy(model, optimizer, images, labels);
    }
}
