package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * {@code serve} stopped by a signal, SIGTERM (kill, a service manager) or SIGINT (Ctrl-C), ends every function JVM it
 * started before it exits.
 */
class ServeShutdownTest {

    private static final Pattern ENDPOINT = Pattern.compile("export AWS_ENDPOINT_URL=(http://\\S+)");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalToServeEndsEveryFunctionJvm(String signal) throws Exception {
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalCloudCommand.class.getName(), "serve",
                "--port", "0", "--work-dir", work.toString())
                .directory(LocalCloudFixture.ROOT.toFile()).redirectErrorStream(true).start();
        try {
            URI endpoint = endpointPrinted(serve).get(60, TimeUnit.SECONDS);
            try (EdgeClients clients = new EdgeClients(endpoint, Duration.ofSeconds(60))) {
                assertEquals(200, clients.invoke("xray-async-TriggeredFunction", InvocationType.REQUEST_RESPONSE,
                        Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"))).statusCode());
                assertEquals(200, clients.invoke("xray-async-TriggeringFunction", InvocationType.REQUEST_RESPONSE,
                        "{}").statusCode());
            }
            List<ProcessHandle> functions = serve.toHandle().descendants().toList();
            assertFalse(functions.isEmpty(), "serve runs the functions' JVMs");

            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(serve.pid())).start().waitFor());

            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stopped after SIG" + signal);
            for (ProcessHandle function : functions) {
                assertFalse(function.isAlive(), "function JVM " + function.pid() + " outlived serve");
            }
        } finally {
            serve.destroyForcibly();
        }
    }

    /** Reads serve's output on a platform thread (a pipe read blocks), completing with the endpoint it prints. */
    static CompletableFuture<URI> endpointPrinted(Process serve) {
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("serve output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[serve] " + line);
                    Matcher printed = ENDPOINT.matcher(line);
                    if (printed.find()) {
                        endpoint.complete(URI.create(printed.group(1)));
                    }
                }
                endpoint.completeExceptionally(new AssertionError("serve ended without printing its endpoint"));
            } catch (Exception failure) {
                endpoint.completeExceptionally(failure);
            }
        });
        return endpoint;
    }
}
