package xrayasync.localcloud.core.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 object API as the AWS SDK's own S3 client uses it against a custom endpoint (path-style; streams sent
 * aws-chunked with trailing checksums): buckets and their settings, objects with S3's sizes and ETags, listings,
 * multipart uploads, S3's errors, and objects that outlive the cloud.
 */
class S3ApiTest {

    private static final String BUCKET = "artifacts";

    @TempDir
    Path folder;

    private LocalS3 local;
    private S3Client s3;

    @BeforeEach
    void start() throws Exception {
        local = new LocalS3(folder);
        s3 = local.client();
        s3.createBucket(request -> request.bucket(BUCKET));
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static byte[] bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @Test
    void anObjectPutIsReadBackWithItsSizeAndItsMd5AsETag() throws Exception {
        byte[] zip = bytes(100_000, 7);

        String etag = s3.putObject(request -> request.bucket(BUCKET).key("code/abc").contentType("application/zip")
                .metadata(Map.of("built-by", "sam")).serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(zip)).eTag();
        HeadObjectResponse head = s3.headObject(request -> request.bucket(BUCKET).key("code/abc"));

        assertEquals("\"" + md5(zip) + "\"", etag);
        assertEquals(zip.length, head.contentLength());
        assertEquals(etag, head.eTag());
        assertEquals("application/zip", head.contentType());
        assertEquals(Map.of("built-by", "sam"), head.metadata());
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertArrayEquals(zip, s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("code/abc")).asByteArray());
    }

    @Test
    void aMultipartUploadJoinsItsPartsWithS3sMultipartETag() throws Exception {
        byte[] first = bytes(5 * 1024 * 1024, 1);
        byte[] second = bytes(1024, 2);
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key("big.zip")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] part : List.of(first, second)) {
            int partNumber = number++;
            String etag = s3.uploadPart(request -> request.bucket(BUCKET).key("big.zip").uploadId(uploadId)
                    .partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }

        String etag = s3.completeMultipartUpload(request -> request.bucket(BUCKET).key("big.zip").uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts))).eTag();

        byte[] digests = HexFormat.of().parseHex(md5(first) + md5(second));
        assertEquals("\"" + md5(digests) + "-2\"", etag);
        assertEquals(first.length + second.length, s3.headObject(request -> request.bucket(BUCKET).key("big.zip"))
                .contentLength());
    }

    @Test
    void listingFollowsThePrefixTheDelimiterAndTheContinuationToken() {
        for (String key : List.of("a/1", "a/2", "a/3", "b/1", "top")) {
            s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }

        ListObjectsV2Response grouped = s3.listObjectsV2(request -> request.bucket(BUCKET).delimiter("/"));
        ListObjectsV2Response first = s3.listObjectsV2(request -> request.bucket(BUCKET).prefix("a/").maxKeys(2));
        ListObjectsV2Response rest = s3.listObjectsV2(request -> request.bucket(BUCKET).prefix("a/")
                .continuationToken(first.nextContinuationToken()));

        assertEquals(List.of("a/", "b/"), grouped.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(List.of("top"), grouped.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("a/1", "a/2"), first.contents().stream().map(S3Object::key).toList());
        assertTrue(first.isTruncated());
        assertEquals(List.of("a/3"), rest.contents().stream().map(S3Object::key).toList());
    }

    @Test
    void objectsAreDeletedOneByOneOrManyAtOnce() {
        for (String key : List.of("x", "y", "z")) {
            s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }

        s3.deleteObject(request -> request.bucket(BUCKET).key("x"));
        s3.deleteObjects(request -> request.bucket(BUCKET).delete(delete -> delete.objects(
                ObjectIdentifier.builder().key("y").build(), ObjectIdentifier.builder().key("z").build())));

        assertEquals(0, s3.listObjectsV2(request -> request.bucket(BUCKET)).keyCount());
    }

    @Test
    void aBucketKeepsItsPolicyVersioningAndEncryption() {
        String policy = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Principal\":\"*\"}]}";
        s3.putBucketPolicy(request -> request.bucket(BUCKET).policy(policy));
        s3.putBucketVersioning(request -> request.bucket(BUCKET).versioningConfiguration(versioning -> versioning
                .status(BucketVersioningStatus.ENABLED)));
        s3.putBucketEncryption(request -> request.bucket(BUCKET).serverSideEncryptionConfiguration(configuration ->
                configuration.rules(rule -> rule.applyServerSideEncryptionByDefault(byDefault -> byDefault
                        .sseAlgorithm(ServerSideEncryption.AWS_KMS)))));

        assertEquals(policy, s3.getBucketPolicy(request -> request.bucket(BUCKET)).policy());
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(request -> request.bucket(BUCKET))
                .status());
        assertEquals(ServerSideEncryption.AWS_KMS, s3.getBucketEncryption(request -> request.bucket(BUCKET))
                .serverSideEncryptionConfiguration().rules().getFirst().applyServerSideEncryptionByDefault()
                .sseAlgorithm());
        s3.headBucket(request -> request.bucket(BUCKET));
    }

    @Test
    void aMissingBucketOrKeyIsS3sError() {
        assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(request -> request.bucket("missing")));
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(request -> request.bucket(BUCKET).key("missing")));
        S3Exception notEmpty = assertThrows(S3Exception.class, () -> {
            s3.putObject(request -> request.bucket(BUCKET).key("kept"), RequestBody.fromString("kept"));
            s3.deleteBucket(request -> request.bucket(BUCKET));
        });
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
    }

    /** A PUT of an object, signed for S3, with the headers given (name, value, …). */
    private HttpResponse<String> put(String key, String body, String... headers) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(local.endpoint().resolve("/" + BUCKET + "/" + key))
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/s3/aws4_request,"
                            + " SignedHeaders=host, Signature=00")
                    .headers(headers).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
    }

    @Test
    void aChecksumThatDoesNotMatchTheBodyIsRefusedAsBadDigest() throws Exception {
        HttpResponse<String> refused = put("wrong", "payload", "x-amz-checksum-crc32", "AAAAAA==");

        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
    }

    @Test
    void anAwsChunkedBodyIsStoredWithoutItsFramingAndItsTrailingChecksumChecked() throws Exception {
        String[] chunked = {"Content-Encoding", "aws-chunked", "x-amz-content-sha256",
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-trailer", "x-amz-checksum-crc32",
            "x-amz-decoded-content-length", "11"};

        HttpResponse<String> stored = put("chunked", "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:"
                + crc32("hello world") + "\r\n\r\n", chunked);
        HttpResponse<String> refused = put("tampered", "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:"
                + crc32("other") + "\r\n\r\n", chunked);

        assertEquals(200, stored.statusCode(), stored.body());
        assertEquals("hello world", s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("chunked"))
                .asUtf8String());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
    }

    @Test
    void aContentMd5ThatDoesNotMatchIsBadDigestAndKeepsNoBytes() throws Exception {
        HttpResponse<String> refused = put("wrong-md5", "payload", "Content-MD5",
                Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1])));

        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
        assertEquals(0, local.blobCount());
    }

    @Test
    void anOverwriteAndADeleteLeaveNoBytesBehind() throws Exception {
        s3.putObject(request -> request.bucket(BUCKET).key("twice"), RequestBody.fromString("first"));
        s3.putObject(request -> request.bucket(BUCKET).key("twice"), RequestBody.fromString("second"));

        assertEquals(1, local.blobCount());
        assertEquals("second", s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("twice")).asUtf8String());
        s3.deleteObject(request -> request.bucket(BUCKET).key("twice"));
        assertEquals(0, local.blobCount());
    }

    @Test
    void completingAnUploadKeepsTheNamedPartsAsTheObjectAndDropsTheOthers() throws Exception {
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key("joined")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int partNumber = 1; partNumber <= 3; partNumber++) {
            int number = partNumber;
            String etag = s3.uploadPart(request -> request.bucket(BUCKET).key("joined").uploadId(uploadId)
                    .partNumber(number), RequestBody.fromString("part " + number)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }

        s3.completeMultipartUpload(request -> request.bucket(BUCKET).key("joined").uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts.subList(0, 2))));

        assertEquals("part 1part 2", s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("joined"))
                .asUtf8String());
        assertEquals(2, local.blobCount());
    }

    @Test
    void anAbortedUploadLeavesNoBytesBehind() throws Exception {
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key("dropped")).uploadId();
        s3.uploadPart(request -> request.bucket(BUCKET).key("dropped").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("never completed"));

        s3.abortMultipartUpload(request -> request.bucket(BUCKET).key("dropped").uploadId(uploadId));

        assertEquals(0, local.blobCount());
    }

    @Test
    void objectsOutliveTheServiceThatStoredThem() throws Exception {
        s3.putObject(request -> request.bucket(BUCKET).key("kept"), RequestBody.fromString("still here"));

        local.restart();

        try (StoredObject kept = local.service().open(BUCKET, "kept"); InputStream bytes = kept.stream()) {
            assertEquals("still here", new String(bytes.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(BUCKET), local.service().listBuckets().stream().map(S3Service.Bucket::name).toList());
    }
}
