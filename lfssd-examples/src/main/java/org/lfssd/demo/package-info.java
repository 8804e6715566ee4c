/**
 * The demo ({@link org.lfssd.demo.Main}): train a small ResNet18 on the embedded Fashion-MNIST subset,
 * forget one class with LFSSD or SSD, and print accuracy on the retained and forgotten classes before and
 * after. The data subset ships with this module, never with the library.
 */
package org.lfssd.demo;
