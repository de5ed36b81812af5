package xrayasync.localcloud.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import xrayasync.localcloud.core.lambda.TaskRoot;

/**
 * One local cloud for all the tests of a class, on a work folder of its own, with the edge's clients: registered as
 * a static extension, started before the class's first test and closed, its folder removed, after its last.
 */
final class SharedCloud implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> parameters;
    private Path work;
    private LocalCloudFixture fixture;
    private EdgeClients clients;

    SharedCloud(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("shared-cloud");
        fixture = new LocalCloudFixture(work, parameters);
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (clients != null) {
            clients.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        TaskRoot.deleteRecursively(work);
    }

    LocalCloudFixture fixture() {
        return fixture;
    }

    EdgeClients clients() {
        return clients;
    }

    /** The cloud's work folder, where a test may keep files of its own too. */
    Path work() {
        return work;
    }
}
