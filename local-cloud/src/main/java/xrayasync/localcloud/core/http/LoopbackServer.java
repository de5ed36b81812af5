package xrayasync.localcloud.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 listener on a loopback port, keeping connections alive (the Lambda runtime client's native HTTP
 * code depends on that), with a virtual thread per exchange so long polls do not starve other requests (an exchange
 * only parks: on sockets, queues, futures and locks, never on a pipe or a process). The JDK's own dispatcher thread,
 * which accepts connections, is a platform thread. It is bound
 * first and serves later, so that every endpoint is known before the services that hand endpoints out are built; a
 * {@link ServiceException} from the handler, or any failure, is answered in the server's {@link WireProtocol}.
 */
public final class LoopbackServer implements AutoCloseable {

    private final String name;
    private final WireProtocol protocol;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private LoopbackServer(String name, WireProtocol protocol, int port) throws IOException {
        this.name = name;
        this.protocol = protocol;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (BindException taken) {
            throw new IOException("Port " + port + " on " + InetAddress.getLoopbackAddress().getHostAddress()
                    + " is taken (is another local cloud or LocalStack running?): stop what listens there, or choose"
                    + " another port.", taken);
        }
        server.setExecutor(executor);
    }

    /** Reserves a free port; nothing is answered until {@link #serve}. */
    public static LoopbackServer bind(String name, WireProtocol protocol) throws IOException {
        return bind(name, protocol, 0);
    }

    /** Reserves the given port (0: any free one); nothing is answered until {@link #serve}. */
    public static LoopbackServer bind(String name, WireProtocol protocol, int port) throws IOException {
        return new LoopbackServer(name, protocol, port);
    }

    /**
     * Starts answering requests with the handler, after the {@link OriginPolicy}; what either throws is answered in the
     * server's protocol.
     */
    public LoopbackServer serve(HttpHandler handler) {
        OriginPolicy policy = new OriginPolicy(port());
        server.createContext("/", exchange -> {
            // Answered inside the exchange's try: a try-with-resources closes it before any catch runs.
            try (exchange) {
                protocol.handle(name, exchange, () -> {
                    policy.check(exchange);
                    handler.handle(exchange);
                });
            }
        });
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint URL the AWS SDK takes through AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sends a whole response; a response already under way is left as it is. */
    public static void respond(HttpExchange exchange, int status, String contentType, Map<String, String> headers,
            byte[] body) throws IOException {
        respond(exchange, status, contentType, headers, ResponseBody.of(body));
    }

    /** Sends a response with a body of any size; a response already under way is left as it is. */
    public static void respond(HttpExchange exchange, int status, String contentType, Map<String, String> headers,
            ResponseBody body) throws IOException {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
        // A HEAD answer carries the headers of the GET it stands for, its Content-Length included, and no body; a 304
        // and a 204 have none either (RFC 9110, 15.4.5 and 15.3.5).
        boolean bodiless = exchange.getRequestMethod().equals("HEAD") || status == 304 || status == 204;
        exchange.sendResponseHeaders(status, body.length() == 0 || bodiless ? -1 : body.length());
        if (body.length() > 0 && !bodiless) {
            try (OutputStream output = exchange.getResponseBody()) {
                body.writer().writeTo(output);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
