/**
 * The README's and the docs' code examples as compiled programs. A test in this module checks that every
 * Java block in {@code README.md} and {@code docs/*.md} is a verbatim copy of the file (or region) it names,
 * so no example can go stale.
 */
package org.lfssd.examples;
