package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * {@code serve} stopped by a signal, SIGTERM (kill, a service manager) or SIGINT (Ctrl-C), ends every function JVM it
 * started before it exits.
 */
class ServeShutdownTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalToServeEndsEveryFunctionJvm(String signal) throws Exception {
        try (CloudProcess serve = CloudProcess.start(LocalCloudFixture.ROOT, "serve", "--port", "0", "--work-dir",
                work.toString())) {
            try (EdgeClients clients = new EdgeClients(serve.endpoint(), Duration.ofSeconds(60))) {
                assertEquals(200, clients.invoke("xray-async-TriggeredFunction", InvocationType.REQUEST_RESPONSE,
                        Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"))).statusCode());
                assertEquals(200, clients.invoke("xray-async-TriggeringFunction", InvocationType.REQUEST_RESPONSE,
                        "{}").statusCode());
            }
            List<ProcessHandle> functions = serve.handle().descendants().toList();
            assertFalse(functions.isEmpty(), "serve runs the functions' JVMs");

            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(serve.handle().pid())).start()
                    .waitFor());

            serve.exitCode(Duration.ofSeconds(30));
            for (ProcessHandle function : functions) {
                assertFalse(function.isAlive(), "function JVM " + function.pid() + " outlived serve");
            }
        }
    }
}
