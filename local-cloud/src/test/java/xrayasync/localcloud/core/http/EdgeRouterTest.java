package xrayasync.localcloud.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One port for every service: signed requests go by their credential scope, unsigned ones by their shape, and a
 * request to a service the cloud does not emulate gets its refusal in the protocol it was sent in.
 */
class EdgeRouterTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private LoopbackServer server;

    private static EdgeRouter.Service answering(String signingName, WireProtocol protocol, String path) {
        return new EdgeRouter.Service(signingName, protocol, request -> request.rawPath().equals(path),
                request -> LoopbackServer.respond(request.exchange(), 200, "text/plain", Map.of(),
                        signingName.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.bind("edge", WireProtocol.REST_JSON).serve(new EdgeRouter(List.of(
                answering("lambda", WireProtocol.REST_JSON, "/2015-03-31/functions/f/invocations"),
                answering("s3", WireProtocol.REST_XML, "/never")),
                request -> LoopbackServer.respond(request.exchange(), 200, "text/plain", Map.of(),
                        "fallback".getBytes(StandardCharsets.UTF_8))));
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

    private HttpResponse<String> post(String authorization, String contentType, String target, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint().resolve("/"))
                .header("Authorization", authorization).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
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
    void requestSignedForARestServiceNotEmulatedIsRefusedSayingWhichAre() throws Exception {
        HttpResponse<String> response = get("/", signedFor("apigateway"));

        assertEquals(501, response.statusCode());
        assertEquals("NotImplemented", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(response.body().contains("[lambda, s3], not the 'apigateway' service"), response.body());
    }

    @Test
    void requestOfTheJsonProtocolToAServiceNotEmulatedIsAnsweredWithATypeInItsBody() throws Exception {
        HttpResponse<String> response = post(signedFor("dynamodb"), "application/x-amz-json-1.0",
                "DynamoDB_20120810.ListTables", "{}");

        assertEquals(501, response.statusCode());
        assertTrue(response.body().contains("\"__type\":\"NotImplemented\""), response.body());
    }

    @Test
    void requestOfTheQueryProtocolToAServiceNotEmulatedIsAnsweredWithAnErrorResponseDocument() throws Exception {
        HttpResponse<String> response = post(signedFor("sns"), "application/x-www-form-urlencoded; charset=utf-8",
                null, "Action=ListTopics&Version=2010-03-31");

        assertEquals(501, response.statusCode());
        assertTrue(response.body().contains("<ErrorResponse><Error><Type>Receiver</Type><Code>NotImplemented</Code>"),
                response.body());
    }

    @Test
    void requestToARestXmlServiceNotEmulatedIsAnsweredWithAnErrorDocument() throws Exception {
        HttpResponse<String> response = get("/v20180820/jobs", signedFor("s3control"));

        assertEquals(501, response.statusCode());
        assertTrue(response.body().contains("<Error><Code>NotImplemented</Code>"), response.body());
    }
}
