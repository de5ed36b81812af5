package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xrayasync.localcloud.core.LocalCloud;

/**
 * The AWS CLI (v1, botocore's service models) as an independent client, pointed at a local cloud by
 * {@code AWS_ENDPOINT_URL} alone, with the cloud's credentials.
 */
final class AwsCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final URI endpoint;

    private AwsCli(Path executable, URI endpoint) {
        this.executable = executable;
        this.endpoint = endpoint;
    }

    /** The AWS CLI on PATH or in pyenv's shims, pointed at the endpoint; empty where none is installed. */
    static Optional<AwsCli> find(URI endpoint) {
        List<Path> candidates = new ArrayList<>();
        Stream.of(System.getenv("PATH").split(":")).forEach(folder -> candidates.add(Path.of(folder, "aws")));
        candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "aws"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(found -> new AwsCli(found, endpoint));
    }

    /** Runs a command that must succeed and returns what it printed. */
    String run(String... arguments) throws IOException, InterruptedException {
        Result result = execute(arguments);
        assertEquals(0, result.exitCode(), "aws " + String.join(" ", arguments) + ": " + result.output());
        return result.output();
    }

    /** Runs a command that must fail and returns what it printed. */
    String fail(String... arguments) throws IOException, InterruptedException {
        Result result = execute(arguments);
        assertTrue(result.exitCode() != 0, "aws " + String.join(" ", arguments) + " succeeded: " + result.output());
        return result.output();
    }

    private record Result(int exitCode, String output) {
    }

    private Result execute(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--region", LocalCloud.Settings.REGION,
                "--output", "json"));
        if (arguments.length > 0 && arguments[0].equals("sqs")) {
            // awscli v1 replaces the endpoint of every sqs command with queue.amazonaws.com's unless --endpoint-url
            // is on its command line (awscli/customizations/overridesslcommonname.py), so AWS_ENDPOINT_URL is not enough.
            command.addAll(List.of("--endpoint-url", endpoint.toString()));
        }
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ENDPOINT_URL", endpoint.toString());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalCloud.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalCloud.SECRET_KEY);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "aws " + String.join(" ", arguments) + " did not end");
        return new Result(process.exitValue(), output);
    }

    /** Runs a command that must succeed and prints JSON, and returns that JSON. */
    JsonNode json(String... arguments) throws IOException, InterruptedException {
        return JSON.readTree(run(arguments));
    }
}
