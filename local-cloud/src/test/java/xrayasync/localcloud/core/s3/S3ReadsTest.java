package xrayasync.localcloud.core.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * GET and HEAD of an object as S3 serves them to the AWS SDK: byte ranges in their three forms, clamped at the end;
 * unsatisfiable ranges as 416; what S3 ignores; the conditional headers and their precedence; parts by number.
 */
class S3ReadsTest {

    private static final String BUCKET = "reads";
    private static final byte[] TEN = ascii("0123456789");
    private static final int FIRST_PART = 5 * 1024 * 1024;
    private static final int SECOND_PART = 1000;

    @TempDir
    static Path folder;

    private static LocalS3 local;
    private static S3Client s3;
    private static byte[] multipartBytes;
    private static String etag;
    private static Instant lastModified;

    @BeforeAll
    static void putObjects() throws Exception {
        local = new LocalS3(folder);
        s3 = local.client();
        s3.createBucket(request -> request.bucket(BUCKET));
        etag = s3.putObject(request -> request.bucket(BUCKET).key("ten"), RequestBody.fromBytes(TEN)).eTag();
        lastModified = s3.headObject(request -> request.bucket(BUCKET).key("ten")).lastModified();
        s3.putObject(request -> request.bucket(BUCKET).key("empty"), RequestBody.empty());
        multipartBytes = new byte[FIRST_PART + SECOND_PART];
        new SplittableRandom(7).nextBytes(multipartBytes);
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key("parts")).uploadId();
        String first = s3.uploadPart(request -> request.bucket(BUCKET).key("parts").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(Arrays.copyOfRange(multipartBytes, 0, FIRST_PART))).eTag();
        String second = s3.uploadPart(request -> request.bucket(BUCKET).key("parts").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(Arrays.copyOfRange(multipartBytes, FIRST_PART, multipartBytes.length))).eTag();
        s3.completeMultipartUpload(request -> request.bucket(BUCKET).key("parts").uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(CompletedPart.builder().partNumber(1).eTag(first).build(),
                        CompletedPart.builder().partNumber(2).eTag(second).build())));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static ResponseBytes<GetObjectResponse> get(String key, Consumer<GetObjectRequest.Builder> request) {
        return s3.getObjectAsBytes(builder -> request.accept(builder.bucket(BUCKET).key(key)));
    }

    private static S3Exception refused(String key, Consumer<GetObjectRequest.Builder> request) {
        return assertThrows(S3Exception.class, () -> get(key, request));
    }

    private static void assertPartial(ResponseBytes<GetObjectResponse> answer, String contentRange, byte[] bytes) {
        assertEquals(206, answer.response().sdkHttpResponse().statusCode());
        assertEquals(contentRange, answer.response().contentRange());
        assertEquals(bytes.length, answer.response().contentLength());
        assertArrayEquals(bytes, answer.asByteArray());
    }

    @Test
    void aClosedRangeIsAnsweredWithThoseBytesAs206() {
        assertPartial(get("ten", request -> request.range("bytes=2-5")), "bytes 2-5/10", ascii("2345"));
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertPartial(get("ten", request -> request.range("bytes=7-")), "bytes 7-9/10", ascii("789"));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertPartial(get("ten", request -> request.range("bytes=-3")), "bytes 7-9/10", ascii("789"));
    }

    @Test
    void aRangePastTheEndIsClampedToTheEnd() {
        assertPartial(get("ten", request -> request.range("bytes=8-1000")), "bytes 8-9/10", ascii("89"));
        assertPartial(get("ten", request -> request.range("bytes=-1000")), "bytes 0-9/10", TEN);
    }

    @Test
    void aRangeAcrossPartsOfAMultipartObjectJoinsThem() {
        int first = FIRST_PART - 3;
        int last = FIRST_PART + 4;
        assertPartial(get("parts", request -> request.range("bytes=" + first + "-" + last)), "bytes " + first + "-"
                + last + "/" + multipartBytes.length, Arrays.copyOfRange(multipartBytes, first, last + 1));
    }

    @Test
    void aRangeStartingAtOrPastTheEndIsInvalidRangeWithTheSize() {
        S3Exception refused = refused("ten", request -> request.range("bytes=10-20"));

        assertEquals(416, refused.statusCode());
        assertEquals("InvalidRange", refused.awsErrorDetails().errorCode());
        assertEquals("bytes */10", refused.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Range")
                .orElseThrow());
    }

    @Test
    void anyRangeOfAnEmptyObjectIsInvalidRange() {
        for (String range : List.of("bytes=0-0", "bytes=0-", "bytes=-1")) {
            assertEquals(416, refused("empty", request -> request.range(range)).statusCode(), range);
        }
    }

    @Test
    void severalRangesOrAnotherUnitAreIgnoredForTheWholeObject() {
        for (String range : List.of("bytes=0-1,4-5", "items=0-1", "bytes=5-2")) {
            ResponseBytes<GetObjectResponse> answer = get("ten", request -> request.range(range));

            assertEquals(200, answer.response().sdkHttpResponse().statusCode(), range);
            assertNull(answer.response().contentRange(), range);
            assertArrayEquals(TEN, answer.asByteArray(), range);
        }
    }

    @Test
    void getAndHeadSayRangesAreAcceptedAndGiveTheTimeToTheSecondAndTheETagQuoted() {
        HeadObjectResponse head = s3.headObject(request -> request.bucket(BUCKET).key("ten"));

        assertEquals("bytes", head.acceptRanges());
        assertEquals("bytes", get("ten", request -> { }).response().acceptRanges());
        assertEquals(head.lastModified().truncatedTo(ChronoUnit.SECONDS), head.lastModified());
        assertTrue(head.eTag().matches("\"[0-9a-f]{32}\""), head.eTag());
    }

    @Test
    void ifMatchWithAnotherETagIsPreconditionFailed() {
        S3Exception refused = refused("ten", request -> request.ifMatch("\"0123\""));

        assertEquals(412, refused.statusCode());
        assertEquals("PreconditionFailed", refused.awsErrorDetails().errorCode());
    }

    @Test
    void ifNoneMatchWithTheETagIsNotModifiedOnGetAndHead() {
        assertEquals(304, refused("ten", request -> request.ifNoneMatch(etag)).statusCode());
        assertEquals(304, assertThrows(S3Exception.class, () -> s3.headObject(request -> request.bucket(BUCKET)
                .key("ten").ifNoneMatch(etag))).statusCode());
    }

    @Test
    void ifModifiedSinceItsTimeIsNotModified() {
        assertEquals(304, refused("ten", request -> request.ifModifiedSince(lastModified)).statusCode());
        assertArrayEquals(TEN, get("ten", request -> request.ifModifiedSince(lastModified.minusSeconds(1)))
                .asByteArray());
    }

    @Test
    void ifUnmodifiedSinceBeforeItsTimeIsPreconditionFailed() {
        assertEquals(412, refused("ten", request -> request.ifUnmodifiedSince(lastModified.minusSeconds(1)))
                .statusCode());
        assertArrayEquals(TEN, get("ten", request -> request.ifUnmodifiedSince(lastModified)).asByteArray());
    }

    @Test
    void ifMatchHoldingOverridesIfUnmodifiedSinceFailing() {
        ResponseBytes<GetObjectResponse> answer = get("ten", request -> request.ifMatch(etag)
                .ifUnmodifiedSince(lastModified.minusSeconds(60)));

        assertEquals(200, answer.response().sdkHttpResponse().statusCode());
        assertArrayEquals(TEN, answer.asByteArray());
    }

    @Test
    void ifNoneMatchFailingIsNotModifiedWhateverIfModifiedSinceSays() {
        assertEquals(304, refused("ten", request -> request.ifNoneMatch(etag)
                .ifModifiedSince(lastModified.minusSeconds(60))).statusCode());
    }

    @Test
    void aPartOfAMultipartObjectIsItsBytesWithThePartCount() {
        ResponseBytes<GetObjectResponse> second = get("parts", request -> request.partNumber(2));
        HeadObjectResponse head = s3.headObject(request -> request.bucket(BUCKET).key("parts").partNumber(1));

        assertPartial(second, "bytes " + FIRST_PART + "-" + (multipartBytes.length - 1) + "/" + multipartBytes.length,
                Arrays.copyOfRange(multipartBytes, FIRST_PART, multipartBytes.length));
        assertEquals(2, second.response().partsCount());
        assertEquals(FIRST_PART, head.contentLength());
        assertEquals("bytes 0-" + (FIRST_PART - 1) + "/" + multipartBytes.length, head.contentRange());
        assertEquals(2, head.partsCount());
    }

    @Test
    void partOneOfAnObjectPutWholeIsAllOfIt() {
        ResponseBytes<GetObjectResponse> answer = get("ten", request -> request.partNumber(1));

        assertPartial(answer, "bytes 0-9/10", TEN);
        assertNull(answer.response().partsCount());
    }

    @Test
    void aPartNumberPastTheLastIsInvalidPartNumber() {
        for (String key : List.of("ten", "parts")) {
            S3Exception refused = refused(key, request -> request.partNumber(3));

            assertEquals(416, refused.statusCode(), key);
            assertEquals("InvalidPartNumber", refused.awsErrorDetails().errorCode(), key);
        }
    }
}
