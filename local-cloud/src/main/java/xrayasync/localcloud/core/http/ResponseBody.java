package xrayasync.localcloud.core.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The body of an answer: how many bytes it has, how they are written to the client, and what to close once it is
 * written or dropped (the files of an object being read).
 */
public record ResponseBody(long length, Writer writer, Closeable opened) implements Closeable {

    private static final int COPY_BUFFER = 1 << 18;

    /** Writes a body's bytes to the client. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream client) throws IOException;
    }

    /** A run of bytes of an open file. */
    public record FileRegion(FileChannel file, long position, long length) {
    }

    /** A body held in memory (a document). */
    public static ResponseBody of(byte[] bytes) {
        return new ResponseBody(bytes.length, client -> client.write(bytes), () -> {
        });
    }

    /** The regions of files one after the other, copied on a platform thread ({@link BlockingTransfers}). */
    public static ResponseBody of(List<FileRegion> regions, Closeable opened) {
        long length = regions.stream().mapToLong(FileRegion::length).sum();
        return new ResponseBody(length, client -> BlockingTransfers.run(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
            for (FileRegion region : regions) {
                copy(region, buffer, client);
            }
            client.flush();
            return null;
        }), opened);
    }

    private static void copy(FileRegion region, ByteBuffer buffer, OutputStream client) throws IOException {
        long position = region.position();
        long end = region.position() + region.length();
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = region.file().read(buffer, position);
            if (read < 0) {
                throw new IOException("A stored file ended " + (end - position) + " bytes early.");
            }
            client.write(buffer.array(), 0, read);
            position += read;
        }
    }

    @Override
    public void close() throws IOException {
        opened.close();
    }
}
