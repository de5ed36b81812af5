package xrayasync.localcloud.core.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The trace console: a page, its script and its style, from inside the jar (no network, no CDN), that reads the local
 * cloud's X-Ray API from the same port: a trace list with the filter expression box, a trace's timeline, its service
 * map and that of a time window.
 */
public final class TraceConsole implements EdgeRouter.Handler {

    /** Where the console is served on the edge port. */
    public static final String PATH = "/console/";

    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    @Override
    public void handle(EdgeRequest request) throws IOException {
        HttpExchange exchange = request.exchange();
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/") || path.equals(PATH.substring(0, PATH.length() - 1))) {
            LoopbackServer.respond(exchange, 302, null, Map.of("Location", PATH), new byte[0]);
            return;
        }
        String asset = path.equals(PATH) ? "index.html" : path.startsWith(PATH) ? path.substring(PATH.length()) : "";
        if (!exchange.getRequestMethod().equals("GET") || !ASSETS.containsKey(asset)) {
            throw new ServiceException(404, "NotFound", "The local cloud serves the AWS APIs it emulates (point"
                    + " AWS_ENDPOINT_URL here) and the trace console at " + PATH + "; nothing at " + path + ".");
        }
        LoopbackServer.respond(exchange, 200, ASSETS.get(asset), Map.of("Cache-Control", "no-store"), asset(asset)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** One of the console's files, as the jar holds it. */
    public static String asset(String name) {
        try (InputStream content = TraceConsole.class.getResourceAsStream("/console/" + name)) {
            if (content == null) {
                throw new IllegalStateException("The local cloud's jar has no console/" + name + "; rebuild it.");
            }
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
