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
 * AWS::Events::EventBus and AWS::Events::Rule in a stack: the bus by its Name, the rule on it with its pattern and its
 * target, TriggeredFunction's alias, each with the physical id CloudFormation reports (a rule on a custom bus as
 * {@code <bus>|<rule>}), and an event put on the bus running the function.
 */
class EventsStackTest {

    private static final String BUS_AND_RULE = """
              HopBus:
                Type: AWS::Events::EventBus
                Properties:
                  Name: !Sub ${AWS::StackName}-hop
                  Description: The hop's own bus
              HopRule:
                Type: AWS::Events::Rule
                Properties:
                  EventBusName: !Ref HopBus
                  EventPattern:
                    source: [xrayasync.triggering]
                    detail-type: [TriggerPayload]
                  State: ENABLED
                  Targets:
                    - Id: TriggeredFunction
                      Arn: !Ref TriggeredFunction.Alias

              TriggeredFunction:
                Type: AWS::Serverless::Function""";

    @TempDir
    Path work;

    @Test
    void theStacksBusAndRuleExistAndAnEventOnTheBusRunsTheTarget() throws Exception {
        Path folder = Files.createDirectories(work.resolve("template"));
        Path template = LocalCloudFixture.editedTemplate(folder, "        - xrayasync.triggered.TriggeredHandler"
                + "::handleRequest", "        - xrayasync.triggered.TriggeredHandler::handleEvent");
        String withBus = Files.readString(template).replace("  TriggeredFunction:\n    Type: AWS::Serverless::Function",
                BUS_AND_RULE.stripIndent().lines().map(line -> "  " + line).collect(Collectors.joining("\n")));
        Files.writeString(template, withBus);

        try (LocalCloudFixture fixture = new LocalCloudFixture(template, work.resolve("cloud"), Map.of());
                EdgeClients clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(30));
                EventBridgeClient events = EventBridgeClient.builder().endpointOverride(fixture.cloud.endpoint())
                        .region(Region.of(LocalCloud.Settings.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)))
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            String ruleName = fixture.cloud.stack().ruleName("HopRule");
            String alias = fixture.cloud.stack().functionArn("TriggeredFunction").qualified("live").toString();
            EventsService.Rule rule = fixture.cloud.events().rule("xray-async-hop", ruleName);
            assertEquals(List.of(new EventsService.Target("TriggeredFunction", alias)), rule.targets());
            assertEquals("{\"source\":[\"xrayasync.triggering\"],\"detail-type\":[\"TriggerPayload\"]}",
                    rule.eventPattern());
            Map<String, String> physicalIds = clients.cloudFormation.describeStackResources(request -> request
                    .stackName("xray-async")).stackResources().stream().collect(Collectors.toMap(
                            StackResource::logicalResourceId, StackResource::physicalResourceId));
            assertEquals("xray-async-hop", physicalIds.get("HopBus"));
            assertEquals("xray-async-hop|" + ruleName, physicalIds.get("HopRule"));
            assertEquals("arn:aws:events:us-east-1:123456789012:rule/xray-async-hop/" + ruleName,
                    events.describeRule(request -> request.name(ruleName).eventBusName("xray-async-hop")).arn());

            String payload = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
            assertEquals(0, events.putEvents(request -> request.entries(PutEventsRequestEntry.builder()
                    .eventBusName("arn:aws:events:us-east-1:123456789012:event-bus/xray-async-hop")
                    .source("xrayasync.triggering").detailType("TriggerPayload").detail(payload).build()))
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
