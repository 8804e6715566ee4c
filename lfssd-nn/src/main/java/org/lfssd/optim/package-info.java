/**
 * Training, for the papers' baselines (retrain, finetune) and the demo: {@link org.lfssd.optim.SGD} and
 * {@link org.lfssd.optim.AdamW} with PyTorch's update rules, learning-rate schedules
 * ({@link org.lfssd.optim.LrSchedule}) and {@link org.lfssd.optim.TrainStep}. Unlearning itself needs none of it.
 */
package org.lfssd.optim;
