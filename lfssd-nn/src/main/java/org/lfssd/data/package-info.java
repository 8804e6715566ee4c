/**
 * Data for training and unlearning: the IDX format of MNIST-style files ({@link org.lfssd.data.IdxReader}),
 * an in-memory labelled {@link org.lfssd.data.Dataset}, and {@link org.lfssd.data.Batches} that cut a data
 * set into mini-batches in its given order (the order the reference importance estimate depends on).
 * {@link org.lfssd.data.FashionMnist} loads the small embedded subset or the full set from a directory.
 * {@link org.lfssd.data.Cifar10} and {@link org.lfssd.data.Cifar100} (with the CIFAR-20 superclass view) read the
 * CIFAR binary distributions, {@link org.lfssd.data.ImageFolder} one folder of images per class;
 * {@link org.lfssd.data.Normalization}, {@link org.lfssd.data.BilinearResize} and
 * {@link org.lfssd.data.RandomCropFlip} are the papers' preprocessing and augmentation.
 */
package org.lfssd.data;
