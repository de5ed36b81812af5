package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The SAM CLI's inspection commands against a local cloud that runs what {@code sam build} builds: the calls
 * {@code sam remote invoke}, {@code sam logs} and {@code sam traces} make, replayed with boto3 (botocore, as the SAM
 * CLI is; src/test/resources/sam_cli_calls.py names the SAM CLI source of each), through {@code AWS_ENDPOINT_URL}
 * alone, for both flavors.
 */
class SamCliReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = ProjectRoot.locate();

    @TempDir
    Path work;

    private static Path python;

    @BeforeAll
    static void findBoto3() {
        python = pythonWithBoto3().orElse(null);
        Assumptions.assumeTrue(python != null, "no Python with boto3 on this machine");
    }

    private static Optional<Path> pythonWithBoto3() {
        List<Path> candidates = new ArrayList<>();
        Stream.of(System.getenv("PATH").split(":")).forEach(folder -> candidates.add(Path.of(folder, "python3")));
        candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "python3"));
        return candidates.stream().filter(Files::isExecutable).filter(candidate -> {
            try {
                Process probe = new ProcessBuilder(candidate.toString(), "-c", "import boto3")
                        .redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException | InterruptedException unusable) {
                return false;
            }
        }).findFirst();
    }

    /**
     * Lays out a flavor as sam build does (aws-lambda-builders' Maven workflow): each function's classes and
     * resources at the root of .aws-sam/build/LogicalId, its runtime jars in lib/, and the template beside them with
     * CodeUri naming those folders. The classes and jars come from the function projects' own build.
     */
    private Path samBuild(String template) throws IOException {
        Path source = ROOT.resolve(template);
        Path build = work.resolve(".aws-sam/build");
        String text = Files.readString(source);
        for (String logicalId : SamTemplate.parse(text).functionIds()) {
            Path project = source.getParent().resolve(String.valueOf(SamTemplate.parse(text)
                    .properties(logicalId).get("CodeUri")));
            copyTree(project.resolve("target/classes"), build.resolve(logicalId));
            copyTree(project.resolve("target/dependency"), build.resolve(logicalId).resolve("lib"));
            text = text.replace("CodeUri: " + project.getFileName(), "CodeUri: " + logicalId);
        }
        Path built = build.resolve("template.yaml");
        Files.writeString(built, text);
        return built;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private JsonNode replay(LocalCloud cloud, String... step) throws Exception {
        Path script = work.resolve("sam_cli_calls.py");
        try (InputStream resource = SamCliReplayTest.class.getResourceAsStream("/sam_cli_calls.py")) {
            Files.copy(resource, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(List.of(step));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("AWS_ENDPOINT_URL", cloud.endpoint().toString(), "AWS_ACCESS_KEY_ID",
                LocalCloud.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", LocalCloud.SECRET_KEY, "AWS_DEFAULT_REGION",
                LocalCloud.Settings.REGION));
        Path errors = work.resolve("replay-errors.txt");
        Process process = builder.redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the replay of " + step[0] + " ended");
        assertEquals(0, process.exitValue(), step[0] + ": " + Files.readString(errors));
        return JSON.readTree(output);
    }

    @ParameterizedTest
    @CsvSource({"template.yaml, xray-async", "otel/template.yaml, xray-async-otel"})
    void remoteInvokeLogsAndTracesWorkOnWhatSamBuildBuilt(String template, String stack) throws Exception {
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(samBuild(template), Map.of(), stack, Map.of(),
                List.of("alpha", "beta", "gamma"), work.resolve("cloud"), Duration.ofMillis(200), 2, 0, null))) {
            JsonNode invoked = replay(cloud, "remote-invoke", stack, "TriggeringFunction",
                    ROOT.resolve("events/triggering-event.json").toString());

            assertEquals("none", invoked.path("url").asText());
            assertEquals(3, invoked.path("payload").path("bucketCount").asInt(), invoked.toString());
            assertTrue(invoked.path("log").asText().contains("\"type\":\"platform.report\""), invoked.toString());
            assertTrue(cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1)), "the callee ran");
            // A function's segments reach the daemon within moments of its end.
            Thread.sleep(2_000);

            JsonNode logs = replay(cloud, "logs", stack);
            for (String function : List.of("TriggeringFunction", "TriggeredFunction")) {
                String messages = logs.path(function).toString();
                assertTrue(messages.contains("platform.report"), function + ": " + messages);
                assertTrue(messages.contains("platform.start"), function + ": " + messages);
            }
            assertTrue(logs.path("TriggeringFunction").toString().contains("asynchronously (HTTP 202)"), logs.toString());
            assertTrue(logs.path("TriggeredFunction").toString().contains("Triggered by "), logs.toString());

            JsonNode traces = replay(cloud, "traces");
            String traceId = invoked.path("payload").path("traceId").asText();
            List<String> functions = new ArrayList<>();
            traces.path("traces").path(traceId).forEach(segment -> {
                if (segment.path("origin").asText().equals("AWS::Lambda::Function")) {
                    functions.add(segment.path("name").asText());
                }
            });
            assertTrue(functions.containsAll(List.of(stack + "-TriggeringFunction", stack + "-TriggeredFunction")),
                    "one trace holds both functions: " + functions);
            assertTrue(traces.path("services").toString().contains(stack + "-TriggeredFunction"), traces.toString());
        }
    }
}
