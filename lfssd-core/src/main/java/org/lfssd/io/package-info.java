/**
 * The safetensors format, the one checkpoint and fixture format of the project:
 * {@link org.lfssd.io.SafeTensors} reads (memory-mapped, tensor by tensor, any float dtype converted to
 * float32) and writes (atomically, through {@link org.lfssd.io.AtomicFileWrite}); the header, its entries,
 * dtypes and sharded-checkpoint indices each have their own class. Malformed files fail with a
 * {@link org.lfssd.io.SafeTensorsException} naming the file and the tensor.
 */
package org.lfssd.io;
