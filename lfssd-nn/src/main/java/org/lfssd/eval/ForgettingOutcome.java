package org.lfssd.eval;

import java.util.Objects;
import org.lfssd.nn.Module;

/**
 * What a {@link ForgettingMethod} returns.
 *
 * @param model          the model after forgetting (a new instance; the original is never modified)
 * @param seconds        wall time of this request (for the dampening methods without the one-off Ω_D)
 * @param omegaDSeconds  wall time of computing Ω_D for the dampening methods (paid once and reused across
 *                       requests and seeds), NaN for the others
 * @param details        a short human-readable account, e.g. the α used and how many weights were dampened
 */
public record ForgettingOutcome(Module model, double seconds, double omegaDSeconds, String details) {
    /**
     * Checks that a model is present.
     *
     * @param model          the model after forgetting (a new instance; the original is never modified)
     * @param seconds        wall time of this request (for the dampening methods without the one-off Ω_D)
     * @param omegaDSeconds  wall time of computing Ω_D for the dampening methods (paid once and reused across
     *                       requests and seeds), NaN for the others
     * @param details        a short human-readable account, e.g. the α used and how many weights were dampened
     */
    public ForgettingOutcome {
        Objects.requireNonNull(model, "model");
        details = details == null ? "" : details;
    }
}
