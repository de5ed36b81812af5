package xrayasync.localcloud.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.harness.check.TraceCheck;
import xrayasync.localcloud.harness.check.TraceCheckCommand;

/** Starts the local cloud on the repository's template and built functions, with clients pointed at it. */
final class LocalCloudFixture implements AutoCloseable {

    static final Path ROOT = ProjectRoot.locate();
    static final FunctionPair PAIR = new FunctionPair("TriggeringFunction", "TriggeredFunction");

    final LocalCloud cloud;
    final TraceCheckCommand.Clients clients;

    LocalCloudFixture(Path workDirectory, Map<String, String> parameters) throws IOException {
        this(ROOT.resolve("template.yaml"), workDirectory, parameters);
    }

    LocalCloudFixture(Path template, Path workDirectory, Map<String, String> parameters) throws IOException {
        this(template, Map.of(), workDirectory, parameters);
    }

    /** @param functionTemplates functions taken from another template, by logical id (a mix of flavors) */
    LocalCloudFixture(Path template, Map<String, Path> functionTemplates, Path workDirectory,
            Map<String, String> parameters) throws IOException {
        cloud = LocalCloud.start(new LocalCloud.Settings(template, functionTemplates, "xray-async", parameters,
                List.of("alpha", "beta", "gamma"), workDirectory, Duration.ofMillis(200), 2, 0, System.out));
        clients = TraceCheckCommand.Clients.local(cloud.endpoint());
    }

    /**
     * The repository's template with one edit, written where it points at the real function folders, for faults
     * that need a setting the real template does not have (a short timeout, say).
     */
    static Path editedTemplate(Path folder, String original, String replacement) throws IOException {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        if (!template.contains(original)) {
            throw new IllegalStateException("template.yaml no longer contains: " + original);
        }
        template = template.replace(original, replacement)
                .replace("CodeUri: TriggeringFunction", "CodeUri: " + ROOT.resolve("TriggeringFunction"))
                .replace("CodeUri: TriggeredFunction", "CodeUri: " + ROOT.resolve("TriggeredFunction"));
        Path edited = folder.resolve("template.yaml");
        Files.writeString(edited, template);
        return edited;
    }

    /** Runs the trace check of the default pair with the sample event, printing what it printed. */
    TraceCheck.Result checkTrace() throws InterruptedException, IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            TraceCheck.Result result = new TraceCheck(clients.lambda(), clients.xray(), out, Duration.ofSeconds(40),
                    Duration.ofMillis(200), cloud::settled).run(functionName(PAIR.callerLogicalId()),
                    functionName(PAIR.calleeLogicalId()), Files.readAllBytes(ROOT.resolve("events/triggering-event.json")));
            System.out.print(printed.toString(StandardCharsets.UTF_8));
            return result;
        }
    }

    String functionName(String logicalId) {
        return cloud.stack().function(logicalId).name();
    }

    @Override
    public void close() {
        clients.close();
        cloud.close();
    }
}
