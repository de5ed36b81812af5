package xrayasync.localcloud.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A headless Chromium (Debian's package) driven over the Chrome DevTools Protocol with the JDK's WebSocket client:
 * navigate, evaluate JavaScript in the page, take a screenshot. Nothing is downloaded at run time.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The browser binary on this machine, if there is one. */
    static Optional<Path> binary() {
        return Stream.of(System.getenv("PATH").split(":"))
                .flatMap(folder -> Stream.of("chromium", "chromium-browser", "google-chrome").map(Path.of(folder)::resolve))
                .filter(Files::isExecutable)
                .findFirst();
    }

    HeadlessChromium(Path binary, Path profile) throws Exception {
        // Root (as in CI) needs --no-sandbox; the remote debugging port is chosen by the browser and written to a file.
        process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--window-size=1500,1000", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.isRegularFile(activePort) || Files.readAllLines(activePort).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("Chromium did not open its DevTools port; see " + profile.resolveSibling("chromium.log"));
            }
            Thread.sleep(50);
        }
        String port = Files.readAllLines(activePort).getFirst().trim();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageUrl = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            throw new IOException("Chromium shows no page target: " + targets);
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
    }

    /** Collects a message's frames, then completes the call it answers. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode answer = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> call = pending.remove(answer.path("id").asInt(-1));
                    if (call != null) {
                        call.complete(answer);
                    }
                } catch (IOException unreadable) {
                    pending.values().forEach(call -> call.completeExceptionally(unreadable));
                }
                message.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    JsonNode call(String method, Map<String, Object> parameters) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", JSON.valueToTree(parameters));
        page.sendText(JSON.writeValueAsString(request), true).get(30, TimeUnit.SECONDS);
        JsonNode result = answer.get(30, TimeUnit.SECONDS);
        if (result.has("error")) {
            throw new IOException(method + " failed: " + result.path("error"));
        }
        return result.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (a promise is awaited). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("The page threw on " + expression + ": " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until the expression is true in the page, or fails saying what it waited for. */
    void await(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate(expression).asBoolean(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The page never made this true within " + timeout + ": " + expression);
            }
            Thread.sleep(100);
        }
    }

    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    @Override
    public void close() {
        page.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        http.close();
    }
}
