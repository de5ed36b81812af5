package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The local cloud's jar, started as the README shows it ({@code java -jar local-cloud/target/local-cloud.jar …}, no
 * JVM option), prints no JVM warning, also once OTLP span batches arrive at its daemon (the OpenTelemetry flavor).
 */
class LocalCloudJarTest {

    private static final Path ROOT = ProjectRoot.locate();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"template.yaml", "otel/template.yaml"})
    void runAsTheReadmeShowsPrintsNoJvmWarning(String template) throws Exception {
        Path output = work.resolve("run.log");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                "local-cloud/target/local-cloud.jar", "run", "--template", template, "--work-dir",
                work.resolve("cloud").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(run.waitFor(3, TimeUnit.MINUTES), "run did not end");
        List<String> lines = Files.readAllLines(output);

        assertEquals(0, run.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("==> JOINED")), String.join("\n", lines));
        assertEquals(List.of(), warnings(lines.stream()));
    }

    private static List<String> warnings(Stream<String> lines) {
        return lines.filter(line -> line.startsWith("WARNING:") || line.contains("] WARNING:")).toList();
    }
}
