package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.events.EventsService;

/**
 * The EventBridge hop's AWS::Events::EventBus and AWS::Events::Rule (AsyncHop=EventBridge): the bus by its Name, the
 * rule on it with its pattern and its target, TriggeredFunction's alias, each with the physical id CloudFormation reports (a rule on a custom bus as
 * {@code <bus>|<rule>}), and an event put on the bus running the function.
 */
class EventsStackTest {

    @TempDir
    Path work;

    @Test
    void theStacksBusAndRuleExistAndAnEventOnTheBusRunsTheTarget() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("AsyncHop", "EventBridge"));
                EdgeClients clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(30));
                EventBridgeClient events = EventBridgeClient.builder().endpointOverride(fixture.cloud.endpoint())
                        .region(Region.of(LocalCloud.Settings.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)))
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            String ruleName = fixture.cloud.stack().ruleName("TriggeredEventRule");
            String alias = fixture.cloud.stack().functionArn("TriggeredFunction").qualified("live").toString();
            EventsService.Rule rule = fixture.cloud.events().rule("xray-async-triggered", ruleName);
            assertEquals(List.of(new EventsService.Target("TriggeredFunction", alias)), rule.targets());
            assertEquals("{\"source\":[\"xray-async.triggering\"],\"detail-type\":[\"TriggerPayload\"]}",
                    rule.eventPattern());
            Map<String, String> physicalIds = clients.cloudFormation.describeStackResources(request -> request
                    .stackName("xray-async")).stackResources().stream().collect(Collectors.toMap(
                            StackResource::logicalResourceId, StackResource::physicalResourceId));
            assertEquals("xray-async-triggered", physicalIds.get("TriggeredEventBus"));
            assertEquals("xray-async-triggered|" + ruleName, physicalIds.get("TriggeredEventRule"));
            assertEquals("arn:aws:events:us-east-1:123456789012:rule/xray-async-triggered/" + ruleName,
                    events.describeRule(request -> request.name(ruleName).eventBusName("xray-async-triggered")).arn());

            String payload = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
            assertEquals(0, events.putEvents(request -> request.entries(PutEventsRequestEntry.builder()
                    .eventBusName("arn:aws:events:us-east-1:123456789012:event-bus/xray-async-triggered")
                    .source("xray-async.triggering").detailType("TriggerPayload").detail(payload).build()))
                    .failedEntryCount());

            String triggered = fixture.functionName("TriggeredFunction");
            Instant deadline = Instant.now().plusSeconds(90);
            while (fixture.cloud.log().lines(triggered).stream().noneMatch(line -> line.contains("Triggered by"))
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertTrue(fixture.cloud.log().lines(triggered).stream().anyMatch(line -> line.contains("Triggered by")),
                    String.join("\n", fixture.cloud.log().lines(triggered)));
        }
    }
}
