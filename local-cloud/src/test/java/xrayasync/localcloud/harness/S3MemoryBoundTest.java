package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;

/**
 * {@code serve} keeps objects' bytes out of its heap: started in a JVM of its own with a 64 MB heap, it takes and
 * gives back an object of more than 100 MiB, whole in one PUT and one GET (the Java SDK) and in parts and ranges (the
 * AWS CLI), byte for byte.
 */
class S3MemoryBoundTest {

    private static final long SIZE = 100 * 1024 * 1024 + 1;

    @TempDir
    Path work;

    @Test
    void serveWithA64MegabyteHeapRoundTripsAnObjectOfMoreThan100Mebibytes() throws Exception {
        Path original = TestObjects.write(work.resolve("original"), SIZE, 42);
        try (CloudProcess serve = CloudProcess.start(LocalCloudFixture.ROOT, List.of("-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError"), "serve", "--port", "0", "--work-dir", work.resolve("cloud").toString())) {
            URI endpoint = serve.endpoint();
            try (EdgeClients clients = new EdgeClients(endpoint, Duration.ofMinutes(2))) {
                clients.s3.createBucket(request -> request.bucket("big"));
                clients.s3.putObject(request -> request.bucket("big").key("whole"), RequestBody.fromFile(original));
                clients.s3.getObject(request -> request.bucket("big").key("whole"),
                        ResponseTransformer.toFile(work.resolve("whole")));
            }
            assertEquals(TestObjects.sha256(original), TestObjects.sha256(work.resolve("whole")), "one PUT, one GET");

            AwsCli cli = AwsCli.find(endpoint).orElse(null);
            Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
            cli.run("s3", "cp", "--only-show-errors", original.toString(), "s3://big/parts");
            cli.run("s3", "cp", "--only-show-errors", "s3://big/parts", work.resolve("parts").toString());
            assertEquals(TestObjects.sha256(original), TestObjects.sha256(work.resolve("parts")), "parts and ranges");
            assertTrue(serve.isAlive(), "serve is still running");
        }
    }
}
