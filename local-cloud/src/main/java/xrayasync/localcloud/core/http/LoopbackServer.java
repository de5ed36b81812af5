package xrayasync.localcloud.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 listener on a free loopback port, keeping connections alive (the Lambda runtime client's native HTTP
 * code depends on that), with a virtual thread per exchange so long polls do not starve other requests.
 */
public final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public LoopbackServer(String name, HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException | RuntimeException failure) {
                respond(exchange, 500, "application/json", Map.of(), ("{\"message\":\"" + name + " failed: "
                        + String.valueOf(failure.getMessage()).replace("\"", "'") + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint URL the AWS SDK takes through AWS_ENDPOINT_URL_*. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sends a whole response; a response already under way is left as it is. */
    public static void respond(HttpExchange exchange, int status, String contentType, Map<String, String> headers,
            byte[] body) throws IOException {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream output = exchange.getResponseBody()) {
                output.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
