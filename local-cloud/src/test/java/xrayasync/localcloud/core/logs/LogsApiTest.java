package xrayasync.localcloud.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import xrayasync.localcloud.core.store.TemporaryStore;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;
import xrayasync.localcloud.core.protocol.ModelledApi;

/**
 * CloudWatch Logs' read API as the AWS SDK's own client sees it over loopback HTTP (JSON 1.1): groups, streams, events
 * interleaved by time, filter patterns, time ranges and pagination tokens.
 */
class LogsApiTest {

    private static final String GROUP = "/aws/lambda/f";
    private static final String FIRST = "2026/11/29/[$LATEST]aaaa";
    private static final String SECOND = "2026/11/29/[$LATEST]bbbb";

    @RegisterExtension
    final TemporaryStore temporary = new TemporaryStore();

    private LogsService logs;
    private LoopbackServer server;
    private CloudWatchLogsClient client;

    @BeforeEach
    void start() throws Exception {
        logs = new LogsService(temporary.store(), Clock.systemUTC());
        logs.createGroup(GROUP, 14);
        logs.createGroup("/other/group", null);
        logs.put(GROUP, FIRST, 1_000, "START RequestId: 1");
        logs.put(GROUP, SECOND, 1_500, "{\"level\":\"ERROR\",\"message\":\"boom\"}");
        logs.put(GROUP, FIRST, 2_000, "{\"level\":\"INFO\",\"message\":\"fine\"}");
        logs.put(GROUP, SECOND, 2_500, "REPORT RequestId: 2");
        logs.put(GROUP, FIRST, 3_000, "END RequestId: 1");
        ModelledApi api = new LogsApi(logs, "us-east-1", "123456789012").wire();
        server = LoopbackServer.bind("logs", WireProtocol.AWS_JSON).serve(new EdgeRouter(List.of(
                new EdgeRouter.Service("logs", api.errors(), api::recognizes, api)), request -> {
                    throw new ServiceException(404, "NotFound", "no such path");
                }));
        client = CloudWatchLogsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static List<String> messages(List<FilteredLogEvent> events) {
        return events.stream().map(FilteredLogEvent::message).toList();
    }

    @Test
    void filterInterleavesTheStreamsByTimeNamingEachEventsStream() {
        FilterLogEventsResponse found = client.filterLogEvents(request -> request.logGroupName(GROUP)
                .interleaved(true));

        assertEquals(List.of(1_000L, 1_500L, 2_000L, 2_500L, 3_000L),
                found.events().stream().map(FilteredLogEvent::timestamp).toList());
        assertEquals(List.of(FIRST, SECOND, FIRST, SECOND, FIRST),
                found.events().stream().map(FilteredLogEvent::logStreamName).toList());
        assertNull(found.nextToken());
    }

    @Test
    void filterAppliesTheFilterPattern() {
        FilterLogEventsResponse found = client.filterLogEvents(request -> request.logGroupName(GROUP)
                .filterPattern("{ $.level = \"ERROR\" }"));

        assertEquals(List.of("{\"level\":\"ERROR\",\"message\":\"boom\"}"), messages(found.events()));
    }

    @Test
    void filterKeepsEventsFromTheStartToTheEndTimeBothIncluded() {
        FilterLogEventsResponse found = client.filterLogEvents(request -> request.logGroupName(GROUP)
                .startTime(1_500L).endTime(2_500L));

        assertEquals(3, found.events().size());
    }

    @Test
    void filterPagesWithItsToken() {
        List<String> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            FilterLogEventsResponse page = client.filterLogEvents(request -> request.logGroupName(GROUP).limit(2)
                    .nextToken(next));
            all.addAll(messages(page.events()));
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertEquals(3, pages);
        assertEquals(5, all.size());
        assertEquals(5, all.stream().distinct().count());
    }

    @Test
    void filterCanBeLimitedToNamedStreams() {
        FilterLogEventsResponse found = client.filterLogEvents(request -> request.logGroupName(GROUP)
                .logStreamNames(SECOND));

        assertEquals(2, found.events().size());
    }

    @Test
    void getLogEventsReadsOneStreamFromItsHeadOrItsEnd() {
        GetLogEventsResponse head = client.getLogEvents(request -> request.logGroupName(GROUP).logStreamName(FIRST)
                .startFromHead(true).limit(2));
        GetLogEventsResponse next = client.getLogEvents(request -> request.logGroupName(GROUP).logStreamName(FIRST)
                .nextToken(head.nextForwardToken()));
        GetLogEventsResponse newest = client.getLogEvents(request -> request.logGroupName(GROUP).logStreamName(FIRST)
                .limit(1));

        assertEquals(List.of("START RequestId: 1", "{\"level\":\"INFO\",\"message\":\"fine\"}"),
                head.events().stream().map(OutputLogEvent::message).toList());
        assertEquals(List.of("END RequestId: 1"), next.events().stream().map(OutputLogEvent::message).toList());
        assertEquals(List.of("END RequestId: 1"), newest.events().stream().map(OutputLogEvent::message).toList());
    }

    @Test
    void streamsCanBeOrderedByTheirLastEventNewestFirst() {
        List<LogStream> streams = client.describeLogStreams(request -> request.logGroupName(GROUP)
                .orderBy(OrderBy.LAST_EVENT_TIME).descending(true)).logStreams();

        assertEquals(List.of(FIRST, SECOND), streams.stream().map(LogStream::logStreamName).toList());
        assertEquals(3_000L, streams.getFirst().lastEventTimestamp());
    }

    @Test
    void groupsAreListedByPrefixWithTheirRetention() {
        var groups = client.describeLogGroups(request -> request.logGroupNamePrefix("/aws/lambda/")).logGroups();

        assertEquals(1, groups.size());
        assertEquals(GROUP, groups.getFirst().logGroupName());
        assertEquals(14, groups.getFirst().retentionInDays());
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f", groups.getFirst().logGroupArn());
    }

    @Test
    void aGroupThatDoesNotExistIsCloudWatchsResourceNotFound() {
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> client.filterLogEvents(request -> request.logGroupName("/aws/lambda/nothing")));

        assertEquals("The specified log group does not exist.", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void eventsOlderThanTheirGroupsRetentionInDaysAreRemovedAndGroupsWithoutOneKeepAll() {
        long now = System.currentTimeMillis();
        logs.put(GROUP, FIRST, now - 13 * 86_400_000L, "recent enough");
        logs.put("/other/group", "s", 1_000, "kept for ever");

        temporary.store().sweep(Instant.ofEpochMilli(now));

        assertEquals(List.of("recent enough"), messages(client.filterLogEvents(request -> request
                .logGroupName(GROUP)).events()));
        assertEquals(List.of("kept for ever"), messages(client.filterLogEvents(request -> request
                .logGroupName("/other/group")).events()));
    }
}
