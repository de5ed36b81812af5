package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.s3.LocalS3;

/**
 * Objects of every size that matters, from empty to past 100 MiB and on each side of the 8 and 16 MiB part
 * boundaries, copied to the local S3 and back byte for byte by three independent clients, each its own way: the AWS
 * CLI ({@code aws s3 cp}: multipart from 8 MB, ranged parallel GETs back), boto3's transfer manager (with a 5 MiB
 * threshold) and the Java SDK (one PUT, one GET, and ranged GETs).
 */
class S3TransfersTest {

    private static final long MIB = 1024 * 1024;
    private static final String BUCKET = "transfers";
    private static final long MULTIPART = 30_000_000;

    @TempDir
    static Path work;

    private static LocalS3 local;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        local = new LocalS3(work.resolve("s3"));
        s3 = local.client();
        s3.createBucket(request -> request.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** The file of that size every client copies, written once. */
    private static Path original(long size) throws Exception {
        Path file = work.resolve("original-" + size);
        return Files.exists(file) ? file : TestObjects.write(file, size, size);
    }

    /** Checks the copy is the original byte for byte, then removes it and the object to keep the disk free. */
    private static void assertSameBytes(long size, String key, Path copy) throws Exception {
        assertEquals(size, Files.size(copy), key);
        assertEquals(TestObjects.sha256(original(size)), TestObjects.sha256(copy), key);
        Files.delete(copy);
        s3.deleteObject(request -> request.bucket(BUCKET).key(key));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 8 * MIB - 1, 8 * MIB + 1, 16 * MIB - 1, 16 * MIB + 1, MULTIPART, 100 * MIB + 1})
    void theAwsCliCopiesAnObjectUpAndBackByteForByte(long size) throws Exception {
        AwsCli cli = AwsCli.find(local.endpoint()).orElse(null);
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
        String key = "cli/" + size;
        Path copy = work.resolve("cli-copy-" + size);

        cli.run("s3", "cp", "--only-show-errors", original(size).toString(), "s3://" + BUCKET + "/" + key);
        cli.run("s3", "cp", "--only-show-errors", "s3://" + BUCKET + "/" + key, copy.toString());

        assertSameBytes(size, key, copy);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 8 * MIB - 1, 8 * MIB + 1, 16 * MIB - 1, 16 * MIB + 1, MULTIPART, 100 * MIB + 1})
    void boto3sTransferManagerCopiesAnObjectUpAndBackByteForByte(long size) throws Exception {
        Boto3 boto3 = Boto3.find().orElse(null);
        Assumptions.assumeTrue(boto3 != null, "no Python with boto3 on this machine");
        String key = "boto3/" + size;
        Path copy = work.resolve("boto3-copy-" + size);

        boto3.run(local.endpoint(), work, "s3_transfers.py", BUCKET, key, original(size).toString(), copy.toString(),
                Long.toString(5 * MIB));

        assertSameBytes(size, key, copy);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 8 * MIB - 1, 8 * MIB + 1, 16 * MIB - 1, 16 * MIB + 1, MULTIPART, 100 * MIB + 1})
    void theJavaSdkPutsAndGetsAnObjectWholeByteForByte(long size) throws Exception {
        String key = "java/" + size;
        Path copy = work.resolve("java-copy-" + size);

        s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromFile(original(size)));
        s3.getObject(request -> request.bucket(BUCKET).key(key), ResponseTransformer.toFile(copy));

        assertSameBytes(size, key, copy);
    }

    @Test
    void theJavaSdkReadsRangesOfAMultipartObjectAsTheyWerePut() throws Exception {
        AwsCli cli = AwsCli.find(local.endpoint()).orElse(null);
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
        Path original = original(MULTIPART);
        cli.run("s3", "cp", "--only-show-errors", original.toString(), "s3://" + BUCKET + "/ranged");
        long boundary = 8 * MIB;

        for (String range : List.of("bytes=" + (boundary - 10) + "-" + (boundary + 9), "bytes=" + (MULTIPART - 7)
                + "-", "bytes=-13", "bytes=0-0")) {
            byte[] read = s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("ranged").range(range))
                    .asByteArray();
            String[] bounds = range.substring("bytes=".length()).split("-", -1);
            long first = bounds[0].isEmpty() ? MULTIPART - Long.parseLong(bounds[1]) : Long.parseLong(bounds[0]);
            long last = bounds[0].isEmpty() || bounds[1].isEmpty() ? MULTIPART - 1 : Long.parseLong(bounds[1]);

            assertArrayEquals(TestObjects.slice(original, first, (int) (last - first + 1)), read, range);
        }
    }
}
