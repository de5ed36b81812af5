package xrayasync.localcloud.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local-cloud command in a JVM of its own, as a user runs it: its output printed and kept as it comes, the endpoint
 * serve prints, its exit; stopped for good when closed.
 */
final class CloudProcess implements AutoCloseable {

    private static final Pattern ENDPOINT = Pattern.compile("export AWS_ENDPOINT_URL=(http://\\S+)");

    private final Process process;
    private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private final List<String> output = new ArrayList<>();
    private final Thread reader;

    private CloudProcess(Process process, String label) {
        this.process = process;
        // A pipe read blocks: a platform thread of its own.
        reader = Thread.ofPlatform().daemon().name(label + " output").start(() -> read(label));
    }

    /** Starts {@code local-cloud <arguments>} in the folder, with this test JVM's classes. */
    static CloudProcess start(Path directory, String... arguments) throws IOException {
        return start(directory, List.of(), arguments);
    }

    /** Starts {@code local-cloud <arguments>} in the folder, in a JVM with the given options (a heap limit, say). */
    static CloudProcess start(Path directory, List<String> jvmOptions, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalCloudCommand.class.getName()));
        command.addAll(List.of(arguments));
        return new CloudProcess(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .start(), arguments[0]);
    }

    private void read(String label) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[" + label + " " + process.pid() + "] " + line);
                synchronized (output) {
                    output.add(line);
                }
                Matcher printed = ENDPOINT.matcher(line);
                if (printed.find()) {
                    endpoint.complete(URI.create(printed.group(1)));
                }
            }
        } catch (IOException closed) {
            // The process is gone; what it printed is kept.
        }
        endpoint.completeExceptionally(new AssertionError("The command ended without printing an endpoint:\n"
                + output()));
    }

    /** The endpoint serve printed, once it did. */
    URI endpoint() throws Exception {
        return endpoint.get(90, TimeUnit.SECONDS);
    }

    /** Waits for the command to end, and its output to be read; its exit code. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The command did not end within " + timeout + ":\n" + output());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Ends the process at once, as {@code kill -9} does, leaving its function JVMs to notice on their own. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroyForcibly();
        process.waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
