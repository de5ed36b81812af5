package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import xrayasync.localcloud.core.LocalCloud;

/**
 * Python with boto3 as an independent client: a script from the test resources, pointed at a local cloud by
 * {@code AWS_ENDPOINT_URL} alone, with the cloud's credentials, printing what it found as JSON.
 */
final class Boto3 {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;

    private Boto3(Path python) {
        this.python = python;
    }

    /** The first python3 on PATH or in pyenv's shims that imports boto3; empty where there is none. */
    static Optional<Boto3> find() {
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
        }).findFirst().map(Boto3::new);
    }

    /**
     * Runs the resource script with the arguments against the endpoint; it must succeed.
     *
     * @param work where the script is copied to and its error output kept
     */
    JsonNode run(URI endpoint, Path work, String script, String... arguments) throws IOException,
            InterruptedException {
        Path copy = work.resolve(script);
        try (InputStream resource = Boto3.class.getResourceAsStream("/" + script)) {
            Files.copy(resource, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), copy.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_ACCESS_KEY_ID",
                LocalCloud.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", LocalCloud.SECRET_KEY, "AWS_DEFAULT_REGION",
                LocalCloud.Settings.REGION));
        Path errors = work.resolve(script + "-errors.txt");
        Process process = builder.redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String step = arguments.length == 0 ? script : arguments[0];
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the boto3 script " + step + " ended");
        assertEquals(0, process.exitValue(), step + ": " + Files.readString(errors));
        return JSON.readTree(output);
    }
}
