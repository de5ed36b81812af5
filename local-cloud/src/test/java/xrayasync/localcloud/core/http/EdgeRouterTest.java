package xrayasync.localcloud.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One port for every service: signed requests go by their credential scope, unsigned ones by their shape. */
class EdgeRouterTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private LoopbackServer server;

    private static EdgeRouter.Service answering(String signingName, WireProtocol protocol, String path) {
        return new EdgeRouter.Service(signingName, protocol,
                exchange -> exchange.getRequestURI().getPath().equals(path),
                exchange -> LoopbackServer.respond(exchange, 200, "text/plain", java.util.Map.of(),
                        signingName.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.bind("edge", WireProtocol.REST_JSON).serve(new EdgeRouter(List.of(
                answering("lambda", WireProtocol.REST_JSON, "/2015-03-31/functions/f/invocations"),
                answering("s3", WireProtocol.REST_XML, "/never")),
                exchange -> LoopbackServer.respond(exchange, 200, "text/plain", java.util.Map.of(),
                        "fallback".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint().resolve(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signedFor(String service) {
        return "AWS4-HMAC-SHA256 Credential=AKIDLOCALCLOUD/20261124/us-east-1/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123";
    }

    @Test
    void signedRequestGoesToTheServiceItsCredentialScopeNames() throws Exception {
        assertEquals("s3", get("/", signedFor("s3")).body());
    }

    @Test
    void unsignedRequestGoesToTheServiceThatRecognizesItsShape() throws Exception {
        assertEquals("lambda", get("/2015-03-31/functions/f/invocations", null).body());
    }

    @Test
    void unsignedRequestNoServiceRecognizesGoesToTheFallback() throws Exception {
        assertEquals("fallback", get("/", null).body());
    }

    @Test
    void requestSignedForAServiceNotEmulatedIsRefusedSayingWhichAre() throws Exception {
        HttpResponse<String> response = get("/", signedFor("dynamodb"));

        assertEquals(400, response.statusCode());
        assertEquals("UnrecognizedClientException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals(true, response.body().contains("[lambda, s3], not the 'dynamodb' service"), response.body());
    }
}
