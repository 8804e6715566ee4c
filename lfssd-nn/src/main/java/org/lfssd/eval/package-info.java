/**
 * The papers' evaluation protocol as a library: forgetting scenarios ({@link org.lfssd.eval.Scenarios} →
 * {@link org.lfssd.eval.ForgettingSplit}), metrics ({@link org.lfssd.eval.Accuracy},
 * {@link org.lfssd.eval.MembershipInference}, {@link org.lfssd.eval.ZeroRetrainForgetting},
 * {@link org.lfssd.eval.ActivationDistance}, computed from {@link org.lfssd.eval.Logits}), baselines and
 * unlearning methods behind one interface ({@link org.lfssd.eval.ForgettingMethod}: original, retrain, the
 * official head-only-reset retrain, finetune, SSD, LFSSD, ASSD), training ({@link org.lfssd.eval.Trainer},
 * {@link org.lfssd.eval.TrainingRecipe}) and the {@link org.lfssd.eval.Experiment} that runs methods × seeds
 * into a {@link org.lfssd.eval.ResultTable} (CSV, JSON).
 *
 * <p>Where the official code has a quirk the correct definition is the default and the official one an
 * option: {@link org.lfssd.eval.AccuracyMode}, {@link org.lfssd.eval.ZrfFormula},
 * {@link org.lfssd.eval.TeacherMode}, {@link org.lfssd.eval.ForgettingMethod#retrainHeadOnlyReset}.
 */
package org.lfssd.eval;
