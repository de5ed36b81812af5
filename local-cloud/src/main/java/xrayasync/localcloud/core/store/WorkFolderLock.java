package xrayasync.localcloud.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim of one local cloud on its work folder: an exclusive lock on {@code local-cloud.lock} in it, held while the
 * cloud runs and let go by the operating system when its process ends (even by {@code kill -9}), so a second cloud on
 * the same folder is refused before it touches anything there, and is told which process holds it.
 */
public final class WorkFolderLock implements AutoCloseable {

    static final String FILE = "local-cloud.lock";

    // Folders held by this JVM: closing a second channel on a locked file would drop the first one's POSIX lock.
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkFolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder, creating it if need be; a folder another cloud holds is refused with a sentence that names
     * the holder, and nothing in it is changed.
     */
    public static WorkFolderLock take(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path real = folder.toRealPath();
        if (!HELD_HERE.add(real)) {
            throw inUse(folder, "process " + ProcessHandle.current().pid() + ", this one");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(real.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(folder, holder(channel));
            }
            claim(channel);
            return new WorkFolderLock(real, channel, lock);
        } catch (IOException | RuntimeException refused) {
            HELD_HERE.remove(real);
            if (channel != null) {
                channel.close();
            }
            throw refused;
        }
    }

    private static IOException inUse(Path folder, String holder) {
        return new IOException("The work folder " + folder.toAbsolutePath() + " is in use by another local cloud ("
                + holder + "): stop that one, or give this one a folder of its own with --work-dir.");
    }

    private static void claim(FileChannel channel) throws IOException {
        // Who holds it, for the message a second cloud prints; written only once the lock is ours.
        ProcessHandle self = ProcessHandle.current();
        byte[] claim = ("process " + self.pid() + " (" + self.info().commandLine()
                .map(line -> line.length() > 160 ? line.substring(0, 160) + "…" : line).orElse("java") + "), since "
                + Instant.now()).getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(claim), 0);
        channel.force(true);
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate((int) Math.min(4096, channel.size()));
        channel.read(content, 0);
        String claim = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).strip();
        return claim.isEmpty() ? "a process of this machine" : claim;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD_HERE.remove(folder);
        }
    }
}
