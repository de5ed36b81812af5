package xrayasync.localcloud.core.s3;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import xrayasync.localcloud.core.http.ResponseBody;
import xrayasync.localcloud.core.store.Blobs;

/**
 * An object being read: its head and the files of its parts, opened, so they stay readable until this is closed
 * even when the object is overwritten or deleted meanwhile.
 */
public final class StoredObject implements Closeable {

    private final S3Service.ObjectHead head;
    private final List<FileChannel> parts;

    private StoredObject(S3Service.ObjectHead head, List<FileChannel> parts) {
        this.head = head;
        this.parts = parts;
    }

    /** Opens every part's blob; a blob that is gone ({@link java.nio.file.NoSuchFileException}) fails it whole. */
    static StoredObject open(S3Service.ObjectHead head, Blobs blobs) throws IOException {
        List<FileChannel> opened = new ArrayList<>();
        try {
            for (S3Service.Part part : head.parts()) {
                opened.add(FileChannel.open(blobs.file(part.blob()), StandardOpenOption.READ));
            }
        } catch (IOException | RuntimeException failed) {
            closeAll(opened);
            throw failed;
        }
        return new StoredObject(head, List.copyOf(opened));
    }

    public S3Service.ObjectHead head() {
        return head;
    }

    /** The object's bytes from the first one asked for, as runs of its parts' files. */
    List<ResponseBody.FileRegion> regions(long first, long length) {
        List<ResponseBody.FileRegion> regions = new ArrayList<>();
        long partStart = 0;
        long end = first + length;
        for (int index = 0; index < parts.size() && partStart < end; index++) {
            long partSize = head.parts().get(index).size();
            long from = Math.max(first, partStart);
            long to = Math.min(end, partStart + partSize);
            if (from < to) {
                regions.add(new ResponseBody.FileRegion(parts.get(index), from - partStart, to - from));
            }
            partStart += partSize;
        }
        return regions;
    }

    /**
     * The whole object as one stream, read where the caller is (for the small objects the cloud reads itself, a
     * template or a code zip).
     */
    public InputStream stream() throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (FileChannel part : parts) {
            streams.add(Channels.newInputStream(part.position(0)));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    @Override
    public void close() throws IOException {
        closeAll(parts);
    }

    private static void closeAll(List<FileChannel> channels) throws IOException {
        IOException first = null;
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException failed) {
                first = first == null ? failed : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
