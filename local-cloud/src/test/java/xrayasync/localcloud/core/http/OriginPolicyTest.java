package xrayasync.localcloud.core.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loopback listener answers AWS clients (no Origin) and pages of its own origin, and refuses, with 403 and a
 * sentence, what a web page of another origin sends, and requests addressed to a name that is not loopback (DNS
 * rebinding). Requests are written byte for byte on a socket, so every header is exactly what a browser would send.
 */
class OriginPolicyTest {

    private LoopbackServer server;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackServer.bind("Test API", WireProtocol.REST_JSON).serve(exchange -> LoopbackServer.respond(
                exchange, 200, "text/plain", Map.of(), "answered".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The whole answer, status line, headers and body, to a POST with these Host and Origin headers (null: none). */
    private String post(String host, String origin) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            String request = "POST /2015-03-31/functions/f/invocations HTTP/1.1\r\n"
                    + (host == null ? "" : "Host: " + host + "\r\n")
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String own() {
        return "localhost:" + server.port();
    }

    @Test
    void anAwsClientWithoutOriginIsAnswered() throws IOException {
        assertTrue(post(own(), null).startsWith("HTTP/1.1 200"));
        assertTrue(post("127.0.0.1:" + server.port(), null).startsWith("HTTP/1.1 200"));
    }

    @Test
    void aPageOfTheListenersOwnOriginIsAnswered() throws IOException {
        assertTrue(post(own(), "http://localhost:" + server.port()).startsWith("HTTP/1.1 200"));
        assertTrue(post("127.0.0.1:" + server.port(), "http://127.0.0.1:" + server.port()).startsWith("HTTP/1.1 200"));
    }

    @Test
    void aPageOfAnotherSiteIsRefusedWithASentence() throws IOException {
        String answer = post(own(), "https://evil.example");

        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(answer.contains("refuses requests that a web page of another origin (https://evil.example)"), answer);
    }

    @Test
    void aPageOnAnotherLocalPortIsRefused() throws IOException {
        assertTrue(post(own(), "http://localhost:" + (server.port() + 1)).startsWith("HTTP/1.1 403"));
    }

    @Test
    void aFileOrSandboxedPageIsRefused() throws IOException {
        assertTrue(post(own(), "null").startsWith("HTTP/1.1 403"));
    }

    @Test
    void aRequestAddressedToAnotherNameIsRefused() throws IOException {
        String answer = post("rebound.example:" + server.port(), null);

        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(answer.contains("localhost or 127.0.0.1 only, not to 'rebound.example:" + server.port() + "'"),
                answer);
    }

    @Test
    void everyLoopbackNameIsAnswered() throws IOException {
        for (String host : new String[] {"127.0.0.2:1", "[::1]:" + server.port(), "bucket.localhost", "LOCALHOST"}) {
            assertTrue(post(host, null).startsWith("HTTP/1.1 200"), host);
        }
    }

    @Test
    void theRefusalIsInTheListenersProtocol() throws IOException {
        String answer = post(own(), "https://evil.example");

        assertTrue(answer.toLowerCase(Locale.ROOT).contains("x-amzn-errortype: accessdeniedexception"), answer);
        assertTrue(answer.contains("\"message\":\"The local cloud refuses"), answer);
    }
}
