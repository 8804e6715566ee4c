package org.lfssd.eval;

import org.lfssd.unlearn.Unlearner;

/**
 * One way of making a trained model forget D_f — a baseline or an unlearning method — run under the same
 * protocol by {@link Experiment}. Implementations never modify {@link ForgettingContext#original()}; they
 * start from {@link ForgettingContext#copyOfOriginal()} or a fresh model.
 *
 * <p>The static factories give the papers' methods and baselines (ALGORITHM.md §8.7).
 */
public interface ForgettingMethod {

    /**
     * The name used in result tables, e.g. {@code "lfssd"}.
     *
     * @return the method's name
     */
    String name();

    /**
     * Runs the method on {@code context}'s split and returns the resulting model and its timings.
     *
     * @param context the request, the original model and the shared settings
     * @return the model after forgetting, with timings and details
     */
    ForgettingOutcome apply(ForgettingContext context);

    /**
     * The original model unchanged: the reference every other method is compared with.
     *
     * @return the method named {@code "original"}
     */
    static ForgettingMethod original() {
        return new Original();
    }

    /**
     * Retraining a freshly initialised model on D_r with {@code recipe}: the gold standard of forgetting.
     *
     * @param recipe how to train
     * @return the method
     */
    static ForgettingMethod retrain(TrainingRecipe recipe) {
        return new Retrain("retrain", recipe, null);
    }

    /**
     * The official code's "retrain" (ALGORITHM.md §8.7): it calls {@code reset_parameters()} only on direct
     * children that define it, which for ResNet18 and ViT is only the final Linear layer, so training starts
     * from the trained backbone with a new head. Here: every parameter and buffer whose name starts with
     * {@code headPrefix} (e.g. {@code "fc."} for ResNet18, {@code "head."} for the ViT) is re-initialised, the
     * rest copied from the original, then trained on D_r with {@code recipe}.
     *
     * @param recipe     how to train
     * @param headPrefix the name prefix of the parameters and buffers to re-initialise
     * @return the method
     */
    static ForgettingMethod retrainHeadOnlyReset(TrainingRecipe recipe, String headPrefix) {
        return new Retrain("retrain-head-reset", recipe, headPrefix);
    }

    /**
     * Finetuning the original on D_r with {@code recipe}; the official one is {@link TrainingRecipe#officialFinetune()}.
     *
     * @param recipe how to train
     * @return the method
     */
    static ForgettingMethod finetune(TrainingRecipe recipe) {
        return new Finetune(recipe);
    }

    /**
     * SSD with a fixed α and λ (the papers: λ = 1, α per ALGORITHM.md §5).
     *
     * @param alpha the selection threshold α
     * @param lambda the dampening constant λ
     * @return the method
     */
    static ForgettingMethod ssd(double alpha, double lambda) {
        return new SynapticDampening("ssd", Unlearner.ssd().alpha(alpha).lambda(lambda).build());
    }

    /**
     * LFSSD with a fixed α and λ.
     *
     * @param alpha the selection threshold α
     * @param lambda the dampening constant λ
     * @return the method
     */
    static ForgettingMethod lfssd(double alpha, double lambda) {
        return new SynapticDampening("lfssd", Unlearner.lfssd().alpha(alpha).lambda(lambda).build());
    }

    /**
     * ASSD: SSD with α chosen per request by the percentile rule (ALGORITHM.md §4), λ = 1.
     *
     * @return the method
     */
    static ForgettingMethod assd() {
        return new SynapticDampening("assd", Unlearner.ssd().adaptiveAlpha().lambda(1).build());
    }

    /**
     * Any configured {@link Unlearner}, under {@code name}. Ω_D is shared with every method of the same importance.
     *
     * @param name      the name used in result tables
     * @param unlearner the configured unlearner
     * @return the method
     */
    static ForgettingMethod dampening(String name, Unlearner unlearner) {
        return new SynapticDampening(name, unlearner);
    }
}
