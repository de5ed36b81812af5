package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every API on the edge port, and the console, refuse what a web page of another origin sends through the user's
 * browser, and answer the same request without an Origin header, as AWS clients send it.
 */
class CrossOriginEdgeTest {

    private static final String HOSTILE_ORIGIN = "http://attacker.example";
    private static final String S3_SIGNATURE = "AWS4-HMAC-SHA256 Credential=AKIDLOCALCLOUD/20261129/us-east-1/s3/"
            + "aws4_request, SignedHeaders=host, Signature=00";

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        fixture = new LocalCloudFixture(work, Map.of());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        fixture.close();
    }

    /** A request to one of the edge's APIs, with the Origin header given (null: none). */
    private static HttpResponse<String> send(String api, String origin) throws Exception {
        HttpRequest.Builder request = switch (api) {
            case "lambda" -> HttpRequest.newBuilder(fixture.cloud.endpoint().resolve("/2015-03-31/functions/"
                    + fixture.functionName("TriggeredFunction") + "/invocations"))
                    .header("X-Amz-Invocation-Type", "DryRun").POST(HttpRequest.BodyPublishers.ofString("{}"));
            case "xray" -> HttpRequest.newBuilder(fixture.cloud.endpoint().resolve("/ServiceGraph"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"StartTime\":0,\"EndTime\":1}"));
            case "s3" -> HttpRequest.newBuilder(fixture.cloud.endpoint().resolve("/"))
                    .header("Authorization", S3_SIGNATURE).GET();
            case "console" -> HttpRequest.newBuilder(fixture.cloud.endpoint().resolve("/console/")).GET();
            default -> throw new IllegalArgumentException(api);
        };
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lambda", "xray", "s3", "console"})
    void aPageOfAnotherOriginIsRefusedWithTheReason(String api) throws Exception {
        HttpResponse<String> refused = send(api, HOSTILE_ORIGIN);

        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("refuses requests that a web page of another origin ("
                + HOSTILE_ORIGIN + ") sends through your browser"), refused.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lambda", "xray", "s3", "console"})
    void theSameRequestWithoutOriginIsAnswered(String api) throws Exception {
        HttpResponse<String> answered = send(api, null);

        assertTrue(List.of(200, 204).contains(answered.statusCode()), answered.statusCode() + " " + answered.body());
    }

    @Test
    void aRefusedInvokeRunsNothing() throws Exception {
        String caller = fixture.functionName("TriggeringFunction");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(fixture.cloud.endpoint()
                        .resolve("/2015-03-31/functions/" + caller + "/invocations"))
                .header("Origin", HOSTILE_ORIGIN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(403, refused.statusCode());
        assertEquals(List.of(), fixture.cloud.log().lines(caller), "no environment started, nothing ran");
    }
}
