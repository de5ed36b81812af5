package xrayasync.localcloud.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Large bytes the store keeps as files of its own (an S3 object's body): written from a stream, synced and moved into
 * place under a new id, so a blob is whole or absent; the record that names it is written after it, and a blob no
 * record names (a crash came between the two) is removed at the next start.
 */
public final class Blobs {

    private static final String PARTIAL = ".partial";

    private final Path folder;

    Blobs(Path folder) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(file -> file.toString().endsWith(PARTIAL)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A blob as written: its id and how many bytes it holds. */
    public record Blob(String id, long size) {
    }

    /**
     * Copies the stream, to its end, into a new blob; durable when this returns. The stream is read here, so a
     * caller that must not block its thread on it reads it where it may.
     */
    public Blob write(InputStream bytes) throws IOException {
        String id = UUID.randomUUID().toString();
        Path partial = folder.resolve(id + PARTIAL);
        long size = 0;
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = bytes.read(buffer)) >= 0; ) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                size += read;
            }
            out.force(true);
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(partial);
            throw failed;
        }
        Files.move(partial, folder.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        syncFolder();
        return new Blob(id, size);
    }

    /** The blob's file, to read (never to change); a blob deleted while it is read stays readable until closed. */
    public Path file(String id) {
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("Not a blob id: " + id);
        }
        return folder.resolve(id);
    }

    /** Removes the blob; one that is gone already is fine. */
    public void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Removes every blob not named among the ids: what a crash left between a blob and its record. */
    public void retainOnly(Collection<String> ids) {
        Set<String> kept = Set.copyOf(ids);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (!kept.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (NoSuchFileException gone) {
            // Nothing to sweep.
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private void syncFolder() throws IOException {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
