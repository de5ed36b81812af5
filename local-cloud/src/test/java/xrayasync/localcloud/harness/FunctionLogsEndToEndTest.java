package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Each execution environment writes to a stream of its function's log group, named as Lambda names it, holding the
 * function's own lines and Lambda's records in the function's log format: JSON records under JSON, the text lines
 * under Text.
 */
class FunctionLogsEndToEndTest {

    @TempDir
    Path work;

    /** The messages CloudWatch Logs holds for the callee after one invocation of it. */
    private static List<String> calleeLogAfterOneInvocation(LocalCloudFixture fixture) throws Exception {
        String callee = fixture.functionName("TriggeredFunction");
        try (EdgeClients clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60))) {
            assertEquals(200, clients.invoke(callee, InvocationType.REQUEST_RESPONSE, Files.readString(
                    LocalCloudFixture.ROOT.resolve("events/triggered-event.json"))).statusCode());
            var streams = clients.logs.describeLogStreams(request -> request.logGroupName("/aws/lambda/" + callee))
                    .logStreams();
            assertEquals(1, streams.size());
            assertTrue(streams.getFirst().logStreamName().matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}"),
                    streams.getFirst().logStreamName());
            return clients.logs.filterLogEvents(request -> request.logGroupName("/aws/lambda/" + callee)).events()
                    .stream().map(FilteredLogEvent::message).toList();
        }
    }

    @Test
    void underTheJsonLogFormatLambdasRecordsAreJson() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            List<String> messages = calleeLogAfterOneInvocation(fixture);

            assertTrue(messages.getFirst().contains("\"type\":\"platform.start\""), messages.toString());
            String report = messages.getLast();
            assertTrue(report.contains("\"type\":\"platform.report\"") && report.contains("\"initDurationMs\":")
                    && report.contains("\"status\":\"success\"") && report.contains("\"tracing\":{\"spanId\":"),
                    report);
            assertTrue(messages.stream().anyMatch(message -> message.contains("Triggered by ")), messages.toString());
            assertTrue(messages.stream().noneMatch(message -> message.startsWith("REPORT ")), messages.toString());
            assertTrue(fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                    .anyMatch(line -> line.startsWith("REPORT RequestId: ")), "the cloud's own transcript stays text");
        }
    }

    @Test
    void underTheTextLogFormatLambdasRecordsAreTheTextLines() throws Exception {
        Path template = LocalCloudFixture.editedTemplate(work, "LogFormat: JSON", "LogFormat: Text");
        try (LocalCloudFixture fixture = new LocalCloudFixture(template, work.resolve("cloud"), Map.of())) {
            List<String> messages = calleeLogAfterOneInvocation(fixture);

            assertTrue(messages.getFirst().matches("START RequestId: \\S+ Version: \\$LATEST"), messages.toString());
            assertTrue(messages.stream().anyMatch(message -> message.matches("END RequestId: \\S+")));
            assertTrue(messages.stream().anyMatch(message -> message.matches(
                    "REPORT RequestId: \\S+\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\t"
                            + "Max Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms")), messages.toString());
            assertTrue(messages.getLast().matches("XRAY TraceId: 1-\\S+\\tSegmentId: [0-9a-f]{16}\\tSampled: true"),
                    messages.toString());
        }
    }
}
