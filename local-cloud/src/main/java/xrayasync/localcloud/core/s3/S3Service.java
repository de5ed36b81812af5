package xrayasync.localcloud.core.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.state.StateFiles;

/**
 * S3's state as the local cloud keeps it: buckets and their objects on disk under the cloud's work folder, so they
 * survive a restart, with sizes and ETags as S3 computes them (the MD5 of the bytes; for a multipart upload the MD5 of
 * the parts' MD5s and the part count); bucket policies, versioning and encryption settings as set; multipart uploads
 * in progress; and slow or failed answers injected on demand.
 */
public final class S3Service {

    private static final String OBJECTS = "objects";
    private static final String HEADS = "heads";
    private static final String UPLOADS = "uploads";

    /** A bucket as ListBuckets reports it, with the settings it was given. */
    public record Bucket(String name, Instant creationDate, String policy, String versioning, String encryption) {

        Bucket with(String newPolicy, String newVersioning, String newEncryption) {
            return new Bucket(name, creationDate, newPolicy, newVersioning, newEncryption);
        }
    }

    /** What S3 reports of an object without its bytes. */
    public record ObjectHead(String key, long size, String etag, Instant lastModified, String contentType,
            Map<String, String> metadata, String serverSideEncryption) {
    }

    private final Path folder;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger slowResponsesLeft = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Duration slowness = Duration.ZERO;

    /** @param folder where buckets and objects are kept; what it already holds is S3's state */
    public S3Service(Path folder) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder);
    }

    /** Counts a request and holds it back while injected slowness lasts. */
    void received() throws InterruptedException {
        requests.incrementAndGet();
        if (slowResponsesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            Thread.sleep(slowness);
        }
    }

    public synchronized List<Bucket> listBuckets() {
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new ServiceException(500, "InternalError", "We encountered an internal error. Please try again.");
        }
        try (Stream<Path> buckets = Files.list(folder)) {
            return buckets.filter(path -> Files.isRegularFile(path.resolve("bucket.json")))
                    .map(path -> readBucket(path.getFileName().toString()))
                    .sorted(Comparator.comparing(Bucket::name)).toList();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Creates a bucket; an existing one is S3's BucketAlreadyOwnedByYou. */
    public synchronized Bucket createBucket(String name) {
        if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ServiceException(400, "InvalidBucketName", "The specified bucket is not valid: " + name
                    + " (3 to 63 lower-case letters, digits, dots and hyphens).");
        }
        if (Files.isDirectory(folder.resolve(name))) {
            throw new ServiceException(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named"
                    + " bucket succeeded and you already own it.");
        }
        Bucket bucket = new Bucket(name, Instant.now(), null, null, null);
        writeBucket(bucket);
        return bucket;
    }

    /** Creates the bucket unless it exists (the buckets a cloud starts with). */
    public synchronized void ensureBucket(String name) {
        if (!Files.isDirectory(folder.resolve(name))) {
            createBucket(name);
        }
    }

    public synchronized Bucket bucket(String name) {
        if (name == null || !Files.isRegularFile(folder.resolve(name).resolve("bucket.json"))) {
            throw new ServiceException(404, "NoSuchBucket", "The specified bucket does not exist");
        }
        return readBucket(name);
    }

    public synchronized void deleteBucket(String name) {
        bucket(name);
        if (!listObjects(name, "").isEmpty()) {
            throw new ServiceException(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        }
        deleteTree(folder.resolve(name));
    }

    public synchronized void putBucketSettings(String name, String policy, String versioning, String encryption) {
        Bucket bucket = bucket(name);
        writeBucket(bucket.with(policy, versioning, encryption));
    }

    /** Stores an object and returns what S3 reports of it. */
    public synchronized ObjectHead putObject(String bucketName, String key, byte[] bytes, String contentType,
            Map<String, String> metadata, String serverSideEncryption) {
        bucket(bucketName);
        return store(bucketName, key, bytes, "\"" + HexFormat.of().formatHex(md5(bytes)) + "\"", contentType,
                metadata, serverSideEncryption);
    }

    private ObjectHead store(String bucketName, String key, byte[] bytes, String etag, String contentType,
            Map<String, String> metadata, String serverSideEncryption) {
        ObjectHead head = new ObjectHead(key, bytes.length, etag, Instant.now(),
                contentType == null ? "binary/octet-stream" : contentType, metadata == null ? Map.of()
                        : Map.copyOf(metadata), serverSideEncryption);
        try {
            Path objects = folder.resolve(bucketName).resolve(OBJECTS);
            Path heads = folder.resolve(bucketName).resolve(HEADS);
            Files.createDirectories(objects);
            Files.createDirectories(heads);
            Files.write(objects.resolve(fileName(key)), bytes);
            StateFiles.write(heads.resolve(fileName(key)), head);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        return head;
    }

    public synchronized ObjectHead headObject(String bucketName, String key) {
        bucket(bucketName);
        Path head = folder.resolve(bucketName).resolve(HEADS).resolve(fileName(key));
        if (!Files.isRegularFile(head)) {
            throw new ServiceException(404, "NoSuchKey", "The specified key does not exist.");
        }
        return StateFiles.read(head, ObjectHead.class);
    }

    public synchronized byte[] getObject(String bucketName, String key) {
        headObject(bucketName, key);
        try {
            return Files.readAllBytes(folder.resolve(bucketName).resolve(OBJECTS).resolve(fileName(key)));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Deletes an object; deleting one that is not there succeeds, as in S3. */
    public synchronized void deleteObject(String bucketName, String key) {
        bucket(bucketName);
        try {
            Files.deleteIfExists(folder.resolve(bucketName).resolve(OBJECTS).resolve(fileName(key)));
            Files.deleteIfExists(folder.resolve(bucketName).resolve(HEADS).resolve(fileName(key)));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** The objects whose keys start with the prefix, in key order (S3 lists UTF-8 binary order). */
    public synchronized List<ObjectHead> listObjects(String bucketName, String prefix) {
        bucket(bucketName);
        Path heads = folder.resolve(bucketName).resolve(HEADS);
        if (!Files.isDirectory(heads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(heads)) {
            List<ObjectHead> found = new ArrayList<>();
            for (Path file : files.toList()) {
                String key = URLDecoder.decode(file.getFileName().toString(), StandardCharsets.UTF_8);
                if (!key.endsWith(".new") && (prefix == null || key.startsWith(prefix))) {
                    found.add(StateFiles.read(file, ObjectHead.class));
                }
            }
            found.sort(Comparator.comparing(ObjectHead::key));
            return found;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Starts a multipart upload and returns its id. */
    public synchronized String createMultipartUpload(String bucketName, String key, String contentType,
            Map<String, String> metadata, String serverSideEncryption) {
        bucket(bucketName);
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        Path upload = folder.resolve(bucketName).resolve(UPLOADS).resolve(uploadId);
        StateFiles.write(upload.resolve("head.json"), new ObjectHead(key, 0, null, Instant.now(), contentType,
                metadata == null ? Map.of() : Map.copyOf(metadata), serverSideEncryption));
        return uploadId;
    }

    /** Stores one part of an upload and returns its ETag. */
    public synchronized String uploadPart(String bucketName, String key, String uploadId, int partNumber,
            byte[] bytes) {
        Path upload = upload(bucketName, key, uploadId);
        try {
            Files.write(upload.resolve(String.format("%05d", partNumber)), bytes);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        return "\"" + HexFormat.of().formatHex(md5(bytes)) + "\"";
    }

    /**
     * Joins the named parts, in the order given, into the object; its ETag is the MD5 of the parts' MD5s, a hyphen
     * and the number of parts, as S3 computes it.
     */
    public synchronized ObjectHead completeMultipartUpload(String bucketName, String key, String uploadId,
            List<Integer> partNumbers) {
        Path upload = upload(bucketName, key, uploadId);
        try {
            ObjectHead started = StateFiles.read(upload.resolve("head.json"), ObjectHead.class);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            ByteArrayOutputStream digests = new ByteArrayOutputStream();
            for (int partNumber : partNumbers) {
                Path part = upload.resolve(String.format("%05d", partNumber));
                if (!Files.isRegularFile(part)) {
                    throw new ServiceException(400, "InvalidPart", "One or more of the specified parts could not be"
                            + " found: part " + partNumber + ".");
                }
                byte[] bytes = Files.readAllBytes(part);
                whole.write(bytes);
                digests.write(md5(bytes));
            }
            String etag = "\"" + HexFormat.of().formatHex(md5(digests.toByteArray())) + "-" + partNumbers.size() + "\"";
            ObjectHead head = store(bucketName, key, whole.toByteArray(), etag, started.contentType(),
                    started.metadata(), started.serverSideEncryption());
            deleteTree(upload);
            return head;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public synchronized void abortMultipartUpload(String bucketName, String key, String uploadId) {
        deleteTree(upload(bucketName, key, uploadId));
    }

    private Path upload(String bucketName, String key, String uploadId) {
        bucket(bucketName);
        Path upload = folder.resolve(bucketName).resolve(UPLOADS).resolve(uploadId == null ? "" : uploadId);
        if (uploadId == null || !uploadId.matches("[0-9a-f]{32}") || !Files.isDirectory(upload)) {
            throw new ServiceException(404, "NoSuchUpload", "The specified multipart upload does not exist. The upload"
                    + " ID may be invalid, or the upload may have been aborted or completed.");
        }
        return upload;
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

    /** An object's file name: its key, percent-encoded, so any key is one file. */
    private static String fileName(String key) {
        if (key == null || key.isEmpty()) {
            throw new ServiceException(400, "InvalidArgument", "An object key must not be empty.");
        }
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private Bucket readBucket(String name) {
        return StateFiles.read(folder.resolve(name).resolve("bucket.json"), Bucket.class);
    }

    private void writeBucket(Bucket bucket) {
        StateFiles.write(folder.resolve(bucket.name()).resolve("bucket.json"), bucket);
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
