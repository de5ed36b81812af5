package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * One work folder, one local cloud: a second one on the same folder, on a bad port or on a busy one stops with a
 * sentence before it writes anything, and the first one, untouched, still starts new execution environments; run and
 * load have folders of their own, so they work beside a running serve.
 */
class WorkFolderOwnershipTest {

    private static final Path TEMPLATE = LocalCloudFixture.ROOT.resolve("template.yaml");

    @TempDir
    Path user;

    private CloudProcess first;

    @BeforeEach
    void serveInTheUsersFolder() throws Exception {
        first = CloudProcess.start(user, "serve", "--port", "0", "--template", TEMPLATE.toString());
        first.endpoint();
    }

    @AfterEach
    void stop() throws InterruptedException {
        first.close();
    }

    @Test
    void aSecondServeOnTheSameFolderIsRefusedNamingTheHolderAndChangesNoFile() throws Exception {
        Map<Path, String> before = files(user.resolve("target/local-cloud"));

        try (CloudProcess second = CloudProcess.start(user, "serve", "--port", "0", "--template",
                TEMPLATE.toString())) {
            assertEquals(2, second.exitCode(Duration.ofSeconds(60)));
            assertTrue(second.output().contains("is in use by another local cloud (process "
                    + first.handle().pid()), second.output());
            assertTrue(second.output().contains("--work-dir"), second.output());
        }

        assertEquals(before, files(user.resolve("target/local-cloud")));
        assertColdStarts(first);
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeTheWorkFolderIsMade() throws Exception {
        Path fresh = user.resolve("fresh");
        try (CloudProcess second = CloudProcess.start(user, "serve", "--port", "99999", "--template",
                TEMPLATE.toString(), "--work-dir", fresh.toString())) {
            assertEquals(2, second.exitCode(Duration.ofSeconds(60)));
            assertTrue(second.output().contains("Port 99999 is not a TCP port"), second.output());
        }
        assertFalse(Files.exists(fresh));
    }

    @Test
    void aBusyPortIsRefusedBeforeTheWorkFolderIsMade() throws Exception {
        Path fresh = user.resolve("fresh");
        int taken = first.endpoint().getPort();
        try (CloudProcess second = CloudProcess.start(user, "serve", "--port", Integer.toString(taken), "--template",
                TEMPLATE.toString(), "--work-dir", fresh.toString())) {
            assertEquals(2, second.exitCode(Duration.ofSeconds(60)));
            assertTrue(second.output().contains("Port " + taken + " on 127.0.0.1 is taken"), second.output());
        }
        assertFalse(Files.exists(fresh));
        assertColdStarts(first);
    }

    @Test
    void runBesideARunningServeWorksInItsOwnFolderAndLeavesServeUntouched() throws Exception {
        try (CloudProcess run = CloudProcess.start(user, "run", "--template", TEMPLATE.toString(), "--event",
                LocalCloudFixture.ROOT.resolve("events/triggering-event.json").toString())) {
            assertEquals(0, run.exitCode(Duration.ofMinutes(3)), run.output());
        }
        assertTrue(Files.isDirectory(user.resolve("target/local-cloud-run")));
        assertColdStarts(first);
    }

    @Test
    void serveBesideARunningRunWorksAndTheRunStillEndsLinked() throws Exception {
        first.close();
        try (CloudProcess run = CloudProcess.start(user, "run", "--template", TEMPLATE.toString(), "--event",
                LocalCloudFixture.ROOT.resolve("events/triggering-event.json").toString())) {
            first = CloudProcess.start(user, "serve", "--port", "0", "--template", TEMPLATE.toString());
            first.endpoint();
            assertEquals(0, run.exitCode(Duration.ofMinutes(3)), run.output());
        }
        assertColdStarts(first);
    }

    /** The cloud starts a new execution environment for a function it has not run yet, from its task root. */
    private static void assertColdStarts(CloudProcess cloud) throws Exception {
        try (EdgeClients clients = new EdgeClients(cloud.endpoint(), Duration.ofSeconds(60))) {
            InvokeResponse answer = clients.invoke("xray-async-TriggeredFunction", InvocationType.REQUEST_RESPONSE,
                    Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json")));
            assertEquals(200, answer.statusCode());
            assertNull(answer.functionError(), answer.payload().asUtf8String());
        }
    }

    /**
     * Every file under the folder, with its size and time of last change, but for the database's shared-memory index
     * and write-ahead log, which the running cloud's own reads and upkeep touch.
     */
    private static Map<Path, String> files(Path folder) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(file -> !file.toString().endsWith("-shm")
                    && !file.toString().endsWith("-wal")).toList()) {
                files.put(folder.relativize(file), Files.size(file) + " " + Files.getLastModifiedTime(file));
            }
        }
        return files;
    }
}
