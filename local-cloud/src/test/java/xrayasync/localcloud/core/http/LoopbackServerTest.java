package xrayasync.localcloud.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Errors a local service throws reach its clients over real HTTP, in the shape of the service's protocol. */
class LoopbackServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpHandler NOT_FOUND = exchange -> {
        throw new ServiceException(404, "ResourceNotFoundException", "Function not found: <b>&\"x\"</b>");
    };

    private final HttpClient client = HttpClient.newHttpClient();
    private LoopbackServer server;

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> get(WireProtocol protocol, HttpHandler handler) throws Exception {
        server = LoopbackServer.bind("Test API", protocol).serve(handler);
        return client.send(HttpRequest.newBuilder(server.endpoint().resolve("/anything")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restJsonErrorCarriesTheCodeInItsHeaderAndTheMessageInItsBody() throws Exception {
        HttpResponse<String> response = get(WireProtocol.REST_JSON, NOT_FOUND);

        assertEquals(404, response.statusCode());
        assertEquals("ResourceNotFoundException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("User", body.path("Type").asText());
        assertEquals("Function not found: <b>&\"x\"</b>", body.path("message").asText());
    }

    @Test
    void restXmlErrorIsAnEscapedErrorDocument() throws Exception {
        HttpResponse<String> response = get(WireProtocol.REST_XML, NOT_FOUND);

        assertEquals(404, response.statusCode());
        assertEquals("application/xml", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("<Error><Code>ResourceNotFoundException</Code>"
                + "<Message>Function not found: &lt;b>&amp;\"x\"&lt;/b></Message><RequestId>"), response.body());
    }

    @Test
    void runtimeApiErrorNamesItsTypeAndMessage() throws Exception {
        HttpResponse<String> response = get(WireProtocol.RUNTIME_API, NOT_FOUND);

        JsonNode body = JSON.readTree(response.body());
        assertEquals("ResourceNotFoundException", body.path("errorType").asText());
        assertEquals("Function not found: <b>&\"x\"</b>", body.path("errorMessage").asText());
    }

    @Test
    void unexpectedFailureIsAServiceErrorNamingTheService() throws Exception {
        HttpResponse<String> response = get(WireProtocol.REST_JSON, exchange -> {
            throw new IOException("disk gone");
        });

        assertEquals(500, response.statusCode());
        assertEquals("ServiceException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("Test API failed: disk gone", JSON.readTree(response.body()).path("message").asText());
    }
}
