package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.check.TraceCheck;
import xrayasync.localcloud.harness.check.TracePage;

/**
 * The trace console in a real browser (Debian's Chromium, headless) against a running local cloud: the list shows a
 * fresh trace, its timeline shows both functions nested as X-Ray nests them, the map shows the edges, and what a trace
 * carries is shown as text, never run as markup, and a page of another site cannot drive the cloud through the browser. The screenshot in the README comes from here (target/console.png).
 */
class TraceConsoleBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "<img src=x onerror=\"window.__injected = true\">";

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static HeadlessChromium browser;
    private static TraceCheck.Result linked;
    private static String hostileTraceId;

    @BeforeAll
    static void openTheConsole() throws Exception {
        Path chromium = HeadlessChromium.binary().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no Chromium on this machine: .ci/run installs Debian's chromium");
        fixture = new LocalCloudFixture(work.resolve("cloud"), Map.of());
        linked = fixture.checkTrace();
        assertEquals(TraceCheck.Verdict.JOINED, linked.verdict(), linked.explanation());
        hostileTraceId = storeTraceWithAHostileAnnotation();
        browser = new HeadlessChromium(chromium, work.resolve("profile"));
        browser.navigate(fixture.cloud.consoleUrl().toString());
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A trace whose annotation carries markup, as a caller's payload can put it there. */
    private static String storeTraceWithAHostileAnnotation() throws Exception {
        String traceId = XRayIds.system().newTraceId();
        double now = Instant.now().toEpochMilli() / 1000.0;
        ObjectNode segment = (ObjectNode) JSON.readTree("{\"id\":\"aaaaaaaaaaaaaaaa\",\"name\":\"hostile-probe\","
                + "\"origin\":\"AWS::Lambda::Function\",\"trace_id\":\"" + traceId + "\",\"start_time\":" + now
                + ",\"end_time\":" + (now + 0.05) + "}");
        segment.putObject("annotations").put("note", HOSTILE);
        fixture.cloud.traces().put(segment);
        return traceId;
    }

    private static void open(String traceId) throws Exception {
        String row = "document.querySelector('#traces tbody tr[data-trace-id=\"" + traceId + "\"]')";
        browser.await(row + " !== null", Duration.ofSeconds(20));
        browser.evaluate(row + ".click()");
        browser.await("document.getElementById('detail-title').textContent === 'Trace " + traceId + "'"
                + " && document.querySelectorAll('#timeline .row').length > 0", Duration.ofSeconds(20));
    }

    /** The timeline's rows as [name, depth, is a segment]. */
    private static JsonNode timeline() throws Exception {
        return JSON.readTree(browser.evaluate("JSON.stringify([...document.querySelectorAll('#timeline .row')]"
                + ".map(row => [row.dataset.name, Number(row.dataset.depth), row.classList.contains('segment')]))")
                .asText());
    }

    private static int depthOf(JsonNode rows, String name, boolean segment) {
        for (JsonNode row : rows) {
            if (row.get(0).asText().equals(name) && row.get(2).asBoolean() == segment) {
                return row.get(1).asInt();
            }
        }
        throw new AssertionError("no row " + name + " in " + rows);
    }

    @Test
    void listShowsTheFreshTrace() throws Exception {
        browser.await("[...document.querySelectorAll('#traces tbody tr')].some(row => row.dataset.traceId === '"
                + linked.traceId() + "')", Duration.ofSeconds(20));
    }

    @Test
    void timelineShowsBothFunctionsNestedAcrossTheAsyncHop() throws Exception {
        open(linked.traceId());
        JsonNode rows = timeline();
        String caller = fixture.functionName("TriggeringFunction");
        String callee = fixture.functionName("TriggeredFunction");

        int callerFunction = depthOf(rows, caller, true);
        int calleeService = depthOf(rows, callee, true);
        assertTrue(calleeService > callerFunction, "the callee hangs under the caller: " + rows);
        assertTrue(depthOf(rows, "## handleRequest", false) > calleeService, rows.toString());
        assertTrue(browser.evaluate("document.getElementById('timeline').textContent").asText()
                .contains("caller_trace_id=" + linked.traceId()));
        Files.write(Path.of("target", "console.png"), browser.screenshot());
    }

    @Test
    void mapShowsTheTracesEdges() throws Exception {
        open(linked.traceId());

        assertEquals(6, browser.evaluate("document.querySelectorAll('#map line.edge').length").asInt());
        assertTrue(browser.evaluate("document.getElementById('map').textContent").asText().contains("AWS::S3"));
    }

    @Test
    void annotationCarryingMarkupIsShownAsText() throws Exception {
        open(hostileTraceId);

        assertTrue(browser.evaluate("document.getElementById('timeline').textContent").asText().contains(HOSTILE));
        assertEquals(0, browser.evaluate("document.querySelectorAll('img').length").asInt());
        assertTrue(browser.evaluate("window.__injected === undefined").asBoolean(), "the markup ran");
    }

    @Test
    void pageOfAnotherOriginCannotInvokeAFunctionThroughTheBrowser() throws Exception {
        String callee = fixture.functionName("TriggeredFunction");
        long startsBefore = startLines(callee);
        HttpServer otherSite = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>another site</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            try (exchange) {
                exchange.getResponseBody().write(page);
            }
        });
        otherSite.start();
        try {
            browser.navigate("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
            browser.await("document.title === 'another site'", Duration.ofSeconds(20));

            // no-cors: the page cannot read the answer, but without the cloud's refusal the function would run.
            String sent = browser.evaluate("fetch('" + fixture.cloud.endpoint() + "/2015-03-31/functions/" + callee
                    + "/invocations', {method: 'POST', mode: 'no-cors', body: JSON.stringify("
                    + Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"))
                    + ")}).then(() => 'answered', error => 'failed: ' + error)").asText();

            assertEquals("answered", sent, "the request reached the edge port and was answered");
            assertEquals(startsBefore, startLines(callee), "the function did not run");
        } finally {
            otherSite.stop(0);
            browser.navigate(fixture.cloud.consoleUrl().toString());
        }
    }

    private static long startLines(String function) {
        return fixture.cloud.log().lines(function).stream().filter(line -> line.startsWith("START ")).count();
    }

    @Test
    void savedPageShowsTheTraceWithoutTheCloud() throws Exception {
        Path page = TracePage.write(fixture.cloud.traces(), linked.traceId(), work.resolve("pages"));

        browser.navigate(page.toUri().toString());
        browser.await("document.querySelectorAll('#timeline .row').length > 5", Duration.ofSeconds(20));

        assertEquals(6, browser.evaluate("document.querySelectorAll('#map line.edge').length").asInt());
        browser.navigate(fixture.cloud.consoleUrl().toString());
    }
}
