package org.lfssd.io;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Replaces a file so that, whatever happens (a crash, {@code kill -9}, a full disk, an exception), the
 * target holds either its old content or the complete new content, never a mixture or a truncated file.
 *
 * <p>How: the content goes to a fresh temporary file in the target's folder (so the final rename stays
 * on one file system), which is forced to disk and then renamed over the target in one atomic step; the
 * folder is forced too, so the rename itself survives a power loss. Readers that opened the old file keep
 * reading the old, complete content (a rename does not touch their open file). On failure the temporary
 * file is deleted and the target is untouched. A target that is a symbolic link is resolved first, so the
 * file it points to is replaced and the link kept, as an in-place rewrite would.
 *
 * <p>Every safetensors file this library writes goes through here; applications use {@link #write} for
 * their own files (reports, records) to get the same guarantee.
 */
public final class AtomicFileWrite {
    private static final Logger LOG = System.getLogger(AtomicFileWrite.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFileWrite() {}

    /** Writes the whole new content into the (empty, freshly created) temporary file. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the complete content.
         *
         * @param out the temporary file, open for writing at position 0
         * @throws IOException if writing fails; the target is then left unchanged
         */
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Atomically replaces (or creates) {@code target} with {@code bytes}.
     *
     * @param target the file to create or replace
     * @param bytes  its complete new content
     * @throws IOException naming {@code target} when anything fails; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        replace(target, out -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        });
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code content} writes.
     *
     * @param target  the file to create or replace
     * @param content writes the complete new content into a temporary file in the same folder
     * @throws IOException naming {@code target} when anything fails; the target is then unchanged
     */
    public static void replace(Path target, Content content) throws IOException {
        Path resolved = resolve(target);
        Path dir = resolved.getParent();
        if (Files.isDirectory(resolved)) {
            throw new IOException(target + ": cannot save: the path is a directory");
        }
        Path temp = dir.resolve("." + resolved.getFileName() + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copyPermissions(resolved, temp);
                content.writeTo(out);
                // Without this, a crash soon after the rename can leave the new name pointing at unwritten blocks.
                out.force(true);
            }
            // A file system without atomic rename fails here (AtomicMoveNotSupportedException) rather than
            // falling back to a copy that a crash could leave half done.
            Files.move(temp, resolved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new IOException(target + ": cannot save (" + (Files.exists(resolved) ? "the previous file is unchanged"
                    : "nothing was written") + "): " + e, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** The real file behind {@code target} if it is an existing symbolic link, else {@code target} made absolute. */
    private static Path resolve(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isSymbolicLink(abs) && Files.exists(abs)) {
            return abs.toRealPath();
        }
        return abs;
    }

    /** A replaced file keeps its permissions (a temporary file would otherwise get the default ones). */
    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dest = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source != null && dest != null) {
            dest.setPermissions(source.readAttributes().permissions());
        }
    }

    /** Makes the rename durable. Some platforms cannot open a folder for this; the rename is still atomic there. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "could not force folder " + dir + " to disk: " + e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the temporary file {0}: {1}", temp, e);
        }
    }
}
