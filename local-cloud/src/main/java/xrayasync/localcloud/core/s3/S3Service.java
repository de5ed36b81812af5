package xrayasync.localcloud.core.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import xrayasync.localcloud.core.http.BlockingTransfers;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.store.Blobs;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;

/**
 * S3's state as the local cloud keeps it, in its {@link Store}: buckets, objects' heads and multipart uploads in
 * progress as records, the bytes as blobs (an object's are the blobs of its parts, one for an object put whole), so
 * nothing is ever held in memory whole; sizes and ETags as S3 computes them (the MD5 of the bytes; for a multipart
 * upload the MD5 of the parts' MD5s and the part count); bucket policies, versioning and encryption settings as set;
 * and slow or failed answers injected on demand.
 */
public final class S3Service {

    static final int MAX_PART_NUMBER = 10_000;

    /** A bucket as ListBuckets reports it, with the settings it was given. */
    public record Bucket(String name, Instant creationDate, String policy, String versioning, String encryption) {

        Bucket with(String newPolicy, String newVersioning, String newEncryption) {
            return new Bucket(name, creationDate, newPolicy, newVersioning, newEncryption);
        }
    }

    /** A run of an object's bytes as it was uploaded: its part number, the blob that holds it, its size and ETag. */
    public record Part(int number, String blob, long size, String etag) {
    }

    /**
     * What S3 reports of an object without its bytes, and the parts that hold them in order; {@code multipart} when it
     * was made by a multipart upload (its parts can be read by number).
     */
    public record ObjectHead(String key, long size, String etag, Instant lastModified, String contentType,
            Map<String, String> metadata, String serverSideEncryption, List<Part> parts, boolean multipart) {
    }

    /** A multipart upload in progress: the object it makes and the settings given at its start. */
    record Upload(String key, String contentType, Map<String, String> metadata, String serverSideEncryption) {
    }

    private record Replaced(ObjectHead head, List<Part> unused) {
    }

    private final Store store;
    private final Records buckets;
    private final Records objects;
    private final Records uploads;
    private final Records parts;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger slowResponsesLeft = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Duration slowness = Duration.ZERO;

    /** S3 over the store; what it already holds is S3's state, and blobs none of it names are removed. */
    public S3Service(Store store) {
        this.store = store;
        buckets = store.records("s3-bucket");
        objects = store.records("s3-object");
        uploads = store.records("s3-upload");
        parts = store.records("s3-part");
        store.blobs().retainOnly(Stream.concat(
                objects.all(ObjectHead.class).stream().flatMap(entry -> entry.value().parts().stream()),
                parts.all(Part.class).stream().map(Records.Entry::value)).map(Part::blob).toList());
    }

    /** Counts a request and holds it back while injected slowness lasts. */
    void received() throws InterruptedException {
        requests.incrementAndGet();
        if (slowResponsesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            Thread.sleep(slowness);
        }
    }

    public List<Bucket> listBuckets() {
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new ServiceException(500, "InternalError", "We encountered an internal error. Please try again.");
        }
        return buckets.all(Bucket.class).stream().map(Records.Entry::value).toList();
    }

    /** Creates a bucket; an existing one is S3's BucketAlreadyOwnedByYou. */
    public Bucket createBucket(String name) {
        if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ServiceException(400, "InvalidBucketName", "The specified bucket is not valid: " + name
                    + " (3 to 63 lower-case letters, digits, dots and hyphens).");
        }
        return store.transaction(() -> {
            if (buckets.get(name, Bucket.class).isPresent()) {
                throw new ServiceException(409, "BucketAlreadyOwnedByYou", "Your previous request to create the"
                        + " named bucket succeeded and you already own it.");
            }
            Bucket bucket = new Bucket(name, Instant.now(), null, null, null);
            buckets.put(name, bucket);
            return bucket;
        });
    }

    /** Creates the bucket unless it exists (the buckets a cloud starts with). */
    public void ensureBucket(String name) {
        if (buckets.get(name, Bucket.class).isEmpty()) {
            createBucket(name);
        }
    }

    public Bucket bucket(String name) {
        return (name == null ? Optional.<Bucket>empty() : buckets.get(name, Bucket.class)).orElseThrow(() ->
                new ServiceException(404, "NoSuchBucket", "The specified bucket does not exist"));
    }

    /** Deletes an empty bucket, with the multipart uploads still in progress in it. */
    public void deleteBucket(String name) {
        List<Part> abandoned = store.transaction(() -> {
            bucket(name);
            if (!objects.inScope(name, Long.MIN_VALUE, Long.MAX_VALUE, 1, ObjectHead.class).isEmpty()) {
                throw new ServiceException(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
            }
            List<Part> uploaded = new ArrayList<>();
            for (Records.Entry<Upload> upload : uploads.inScope(name, Upload.class)) {
                uploaded.addAll(removeUpload(upload.key()));
            }
            buckets.delete(name);
            return uploaded;
        });
        deleteBlobs(abandoned);
    }

    public void putBucketSettings(String name, String policy, String versioning, String encryption) {
        store.transaction(() -> {
            buckets.put(name, bucket(name).with(policy, versioning, encryption));
            return null;
        });
    }

    /** Stores an object from its uploaded body and returns what S3 reports of it. */
    public ObjectHead putObject(String bucketName, String key, UploadedBody body, String contentType,
            Map<String, String> metadata, String serverSideEncryption) throws IOException {
        bucket(bucketName);
        String id = objectId(bucketName, key);
        Part part = storeBytes(1, body);
        ObjectHead head = new ObjectHead(key, part.size(), part.etag(), now(), contentType == null
                ? "binary/octet-stream" : contentType, metadata == null ? Map.of() : Map.copyOf(metadata),
                serverSideEncryption, List.of(part), false);
        ObjectHead previous;
        try {
            previous = store.transaction(() -> {
                bucket(bucketName);
                return replace(id, bucketName, head);
            });
        } catch (RuntimeException refused) {
            deleteBlobs(head.parts());
            throw refused;
        }
        if (previous != null) {
            deleteBlobs(previous.parts());
        }
        return head;
    }

    /** Puts the head in place of the object's previous one, which it returns (null when there was none). */
    private ObjectHead replace(String id, String bucketName, ObjectHead head) {
        ObjectHead previous = objects.get(id, ObjectHead.class).orElse(null);
        objects.put(id, bucketName, 0, head);
        return previous;
    }

    public ObjectHead headObject(String bucketName, String key) {
        bucket(bucketName);
        return objects.get(objectId(bucketName, key), ObjectHead.class).orElseThrow(() -> new ServiceException(404,
                "NoSuchKey", "The specified key does not exist."));
    }

    /** Opens an object to read; the caller closes it. */
    public StoredObject open(String bucketName, String key) throws IOException {
        ObjectHead head = headObject(bucketName, key);
        while (true) {
            try {
                return StoredObject.open(head, store.blobs());
            } catch (NoSuchFileException replaced) {
                // An overwrite committed its head and removed the old blobs between the read and the open: read the
                // new object. The same head with a blob missing is a store damaged by hand.
                ObjectHead current = headObject(bucketName, key);
                if (current.equals(head)) {
                    throw new IOException("The bytes of s3://" + bucketName + "/" + key + " are missing from the"
                            + " local cloud's store: put the object again.", replaced);
                }
                head = current;
            }
        }
    }

    /** Deletes an object; deleting one that is not there succeeds, as in S3. */
    public void deleteObject(String bucketName, String key) {
        String id = objectId(bucketName, key);
        ObjectHead deleted = store.transaction(() -> {
            bucket(bucketName);
            Optional<ObjectHead> head = objects.get(id, ObjectHead.class);
            objects.delete(id);
            return head.orElse(null);
        });
        if (deleted != null) {
            deleteBlobs(deleted.parts());
        }
    }

    /** The objects whose keys start with the prefix, in key order (S3 lists UTF-8 binary order, as SQLite sorts). */
    public List<ObjectHead> listObjects(String bucketName, String prefix) {
        bucket(bucketName);
        List<ObjectHead> found = new ArrayList<>();
        objects.forEachInScope(bucketName, Long.MIN_VALUE, Long.MAX_VALUE, ObjectHead.class, entry -> {
            if (prefix == null || entry.value().key().startsWith(prefix)) {
                found.add(entry.value());
            }
            return true;
        });
        return found;
    }

    /** Starts a multipart upload and returns its id. */
    public String createMultipartUpload(String bucketName, String key, String contentType,
            Map<String, String> metadata, String serverSideEncryption) {
        objectId(bucketName, key);
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        store.transaction(() -> {
            bucket(bucketName);
            uploads.put(uploadId, bucketName, 0, new Upload(key, contentType, metadata == null ? Map.of()
                    : Map.copyOf(metadata), serverSideEncryption));
            return null;
        });
        return uploadId;
    }

    /** Stores one part of an upload, in place of an earlier one of the same number, and returns its ETag. */
    public String uploadPart(String bucketName, String key, String uploadId, int partNumber, UploadedBody body)
            throws IOException {
        upload(bucketName, key, uploadId);
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new ServiceException(400, "InvalidArgument", "Part number must be an integer between 1 and "
                    + MAX_PART_NUMBER + ", inclusive");
        }
        Part part = storeBytes(partNumber, body);
        String partKey = uploadId + "/" + partNumber;
        Part previous;
        try {
            previous = store.transaction(() -> {
                upload(bucketName, key, uploadId);
                Optional<Part> earlier = parts.get(partKey, Part.class);
                parts.put(partKey, uploadId, partNumber, part);
                return earlier.orElse(null);
            });
        } catch (RuntimeException refused) {
            deleteBlobs(List.of(part));
            throw refused;
        }
        if (previous != null) {
            deleteBlobs(List.of(previous));
        }
        return part.etag();
    }

    /**
     * Makes the object of the named parts, in the order given, without copying them: its head lists their blobs. Its
     * ETag is the MD5 of the parts' MD5s, a hyphen and the number of parts, as S3 computes it.
     */
    public ObjectHead completeMultipartUpload(String bucketName, String key, String uploadId,
            List<Integer> partNumbers) {
        Replaced replaced = store.transaction(() -> {
            Upload upload = upload(bucketName, key, uploadId);
            List<Part> uploaded = parts.inScope(uploadId, Part.class).stream().map(Records.Entry::value).toList();
            List<Part> chosen = new ArrayList<>();
            ByteArrayOutputStream digests = new ByteArrayOutputStream();
            for (int partNumber : partNumbers) {
                Part part = uploaded.stream().filter(candidate -> candidate.number() == partNumber).findFirst()
                        .orElseThrow(() -> new ServiceException(400, "InvalidPart", "One or more of the specified"
                                + " parts could not be found: part " + partNumber + "."));
                chosen.add(part);
                digests.writeBytes(HexFormat.of().parseHex(part.etag().replace("\"", "")));
            }
            String etag = "\"" + HexFormat.of().formatHex(UploadedBody.md5(digests.toByteArray())) + "-"
                    + chosen.size() + "\"";
            ObjectHead head = new ObjectHead(key, chosen.stream().mapToLong(Part::size).sum(), etag, now(),
                    upload.contentType() == null ? "binary/octet-stream" : upload.contentType(), upload.metadata(),
                    upload.serverSideEncryption(), List.copyOf(chosen), true);
            ObjectHead previous = replace(objectId(bucketName, key), bucketName, head);
            List<Part> unused = new ArrayList<>(removeUpload(uploadId));
            unused.removeAll(chosen);
            if (previous != null) {
                unused.addAll(previous.parts());
            }
            return new Replaced(head, unused);
        });
        deleteBlobs(replaced.unused());
        return replaced.head();
    }

    public void abortMultipartUpload(String bucketName, String key, String uploadId) {
        deleteBlobs(store.transaction(() -> {
            upload(bucketName, key, uploadId);
            return removeUpload(uploadId);
        }));
    }

    /** Deletes an upload's records (inside a transaction) and returns its parts, whose blobs are to go after it. */
    private List<Part> removeUpload(String uploadId) {
        List<Part> uploaded = parts.inScope(uploadId, Part.class).stream().map(Records.Entry::value).toList();
        parts.deleteScope(uploadId);
        uploads.delete(uploadId);
        return uploaded;
    }

    private Upload upload(String bucketName, String key, String uploadId) {
        bucket(bucketName);
        return (uploadId == null ? Optional.<Upload>empty() : uploads.get(uploadId, Upload.class))
                .filter(upload -> upload.key().equals(key))
                .orElseThrow(() -> new ServiceException(404, "NoSuchUpload", "The specified multipart upload does not"
                        + " exist. The upload ID may be invalid, or the upload may have been aborted or completed."));
    }

    /**
     * Writes an upload's bytes into a new blob, on a platform thread (the body is read from the socket and written to
     * a file there), and checks them; a blob whose bytes fail the checks is removed.
     */
    private Part storeBytes(int number, UploadedBody body) throws IOException {
        Blobs.Blob blob = BlockingTransfers.run(() -> store.blobs().write(body.stream()));
        try {
            body.verify(blob.size());
        } catch (ServiceException refused) {
            store.blobs().delete(blob.id());
            throw refused;
        }
        return new Part(number, blob.id(), blob.size(), body.etag());
    }

    /** Removes the blobs of parts no record names any more; a blob that lingers on failure is swept at the next start. */
    private void deleteBlobs(List<Part> gone) {
        gone.stream().map(Part::blob).filter(Objects::nonNull).forEach(store.blobs()::delete);
    }

    /** How many requests S3 has received. */
    public int requestCount() {
        return requests.get();
    }

    /** Fault injection: the next {@code responses} ListBuckets requests fail with S3's 500 InternalError. */
    public void failNext(int responses) {
        failuresLeft.set(responses);
    }

    /** Fault injection: the next {@code responses} answers come only after {@code delay}. */
    public void slowDown(Duration delay, int responses) {
        slowness = delay;
        slowResponsesLeft.set(responses);
    }

    /** An object's record key: its bucket and key, which S3 requires to be non-empty. */
    private static String objectId(String bucketName, String key) {
        if (key == null || key.isEmpty()) {
            throw new ServiceException(400, "InvalidArgument", "An object key must not be empty.");
        }
        return bucketName + "/" + key;
    }

    /** S3 reports an object's time to the second (Last-Modified is an HTTP date), so it is kept at that precision. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
