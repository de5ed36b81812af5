package xrayasync.localcloud;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.check.TraceCheckCommand;

/** Starts the local cloud on the repository's template and built functions, with clients pointed at it. */
final class LocalCloudFixture implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    final LocalCloud cloud;
    final TraceCheckCommand.Clients clients;

    LocalCloudFixture(Path workDirectory, Map<String, String> parameters) throws IOException {
        cloud = LocalCloud.start(new LocalCloud.Settings(ROOT.resolve("template.yaml"), parameters,
                List.of("alpha", "beta", "gamma"), workDirectory, Duration.ofMillis(200), System.out));
        clients = TraceCheckCommand.Clients.local(cloud.lambdaEndpoint(), cloud.xrayEndpoint());
    }

    String functionName(String logicalId) {
        return cloud.stack().function(logicalId).name();
    }

    @Override
    public void close() throws InterruptedException {
        clients.close();
        cloud.close();
    }
}
