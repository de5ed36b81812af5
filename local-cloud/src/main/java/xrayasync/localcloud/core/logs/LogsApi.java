package xrayasync.localcloud.core.logs;

import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.AwsJsonProtocol;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.ServiceModel;

/**
 * CloudWatch Logs' read API over the local log groups: DescribeLogGroups, DescribeLogStreams, GetLogEvents and
 * FilterLogEvents (time range, stream choice, filter patterns, interleaving, pagination tokens), taking and returning
 * the AWS SDK's model objects.
 */
public final class LogsApi {

    private static final int GROUPS_PAGE = 50;
    private static final int STREAMS_PAGE = 50;
    private static final int EVENTS_PAGE = 10_000;

    private final LogsService logs;
    private final String region;
    private final String account;

    public LogsApi(LogsService logs, String region, String account) {
        this.logs = logs;
        this.region = region;
        this.account = account;
    }

    /** The API on the wire: CloudWatch Logs' JSON 1.1 protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(CloudWatchLogsClient.class, "CloudWatch Logs"), AwsJsonProtocol.V1_1)
                .on(DescribeLogGroupsRequest.class, (request, context) -> describeLogGroups(request))
                .on(DescribeLogStreamsRequest.class, (request, context) -> describeLogStreams(request))
                .on(GetLogEventsRequest.class, (request, context) -> getLogEvents(request))
                .on(FilterLogEventsRequest.class, (request, context) -> filterLogEvents(request));
    }

    DescribeLogGroupsResponse describeLogGroups(DescribeLogGroupsRequest request) {
        List<LogsService.Group> groups = logs.groups(request.logGroupNamePrefix());
        Page page = Page.of(request.nextToken(), request.limit(), GROUPS_PAGE, groups.size());
        return DescribeLogGroupsResponse.builder()
                .logGroups(groups.subList(page.from(), page.to()).stream().map(this::logGroup).toList())
                .nextToken(page.nextToken())
                .build();
    }

    private LogGroup logGroup(LogsService.Group group) {
        String arn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group.name();
        return LogGroup.builder().logGroupName(group.name()).creationTime(group.creationTime())
                .retentionInDays(group.retentionInDays()).metricFilterCount(0).arn(arn + ":*").logGroupArn(arn)
                .storedBytes(logs.storedBytes(group.name())).logGroupClass("STANDARD").build();
    }

    DescribeLogStreamsResponse describeLogStreams(DescribeLogStreamsRequest request) {
        LogsService.Group group = logs.group(groupName(request.logGroupName(), request.logGroupIdentifier()));
        boolean byTime = "LastEventTime".equals(request.orderByAsString());
        if (byTime && request.logStreamNamePrefix() != null) {
            throw new ServiceException(400, "InvalidParameterException", "Cannot order by LastEventTime with a"
                    + " logStreamNamePrefix.");
        }
        Comparator<LogsService.Stream> order = byTime
                ? Comparator.comparing(stream -> stream.lastEventTimestamp() == null ? 0L : stream.lastEventTimestamp())
                : Comparator.comparing(LogsService.Stream::name);
        if (Boolean.TRUE.equals(request.descending())) {
            order = order.reversed();
        }
        List<LogsService.Stream> streams = logs.streams(group.name()).stream()
                .filter(stream -> request.logStreamNamePrefix() == null
                        || stream.name().startsWith(request.logStreamNamePrefix()))
                .sorted(order).toList();
        Page page = Page.of(request.nextToken(), request.limit(), STREAMS_PAGE, streams.size());
        return DescribeLogStreamsResponse.builder()
                .logStreams(streams.subList(page.from(), page.to()).stream().map(stream -> LogStream.builder()
                        .logStreamName(stream.name()).creationTime(stream.creationTime())
                        .firstEventTimestamp(stream.firstEventTimestamp())
                        .lastEventTimestamp(stream.lastEventTimestamp())
                        .lastIngestionTime(stream.lastIngestionTime())
                        .arn("arn:aws:logs:" + region + ":" + account + ":log-group:" + group.name() + ":log-stream:"
                                + stream.name())
                        .storedBytes(stream.storedBytes()).build()).toList())
                .nextToken(page.nextToken())
                .build();
    }

    GetLogEventsResponse getLogEvents(GetLogEventsRequest request) {
        String group = groupName(request.logGroupName(), request.logGroupIdentifier());
        List<LogsService.Event> events = logs.events(logs.stream(group, request.logStreamName()),
                from(request.startTime()), to(request.endTime(), false));
        int limit = request.limit() == null ? EVENTS_PAGE : Math.min(request.limit(), EVENTS_PAGE);
        // Without a token, the newest events come unless startFromHead says the oldest; tokens move from there.
        int from;
        int to;
        String token = request.nextToken();
        if (token == null) {
            boolean fromHead = Boolean.TRUE.equals(request.startFromHead());
            from = fromHead ? 0 : Math.max(0, events.size() - limit);
            to = fromHead ? Math.min(events.size(), limit) : events.size();
        } else if (token.startsWith("f/")) {
            from = Math.min(events.size(), Page.offset(token.substring(2)));
            to = Math.min(events.size(), from + limit);
        } else if (token.startsWith("b/")) {
            to = Math.min(events.size(), Page.offset(token.substring(2)));
            from = Math.max(0, to - limit);
        } else {
            throw Page.invalidToken();
        }
        return GetLogEventsResponse.builder()
                .events(events.subList(from, to).stream().map(event -> OutputLogEvent.builder()
                        .timestamp(event.timestamp()).message(event.message()).ingestionTime(event.ingestionTime())
                        .build()).toList())
                .nextForwardToken("f/" + to)
                .nextBackwardToken("b/" + from)
                .build();
    }

    FilterLogEventsResponse filterLogEvents(FilterLogEventsRequest request) {
        LogsService.Group group = logs.group(groupName(request.logGroupName(), request.logGroupIdentifier()));
        if (request.hasLogStreamNames() && request.logStreamNamePrefix() != null) {
            throw new ServiceException(400, "InvalidParameterException", "logStreamNames and logStreamNamePrefix"
                    + " cannot both be given.");
        }
        FilterPattern pattern = FilterPattern.parse(request.filterPattern());
        List<LogsService.Stream> streams = logs.streams(group.name()).stream()
                .filter(stream -> !request.hasLogStreamNames() || request.logStreamNames().contains(stream.name()))
                .filter(stream -> request.logStreamNamePrefix() == null
                        || stream.name().startsWith(request.logStreamNamePrefix()))
                .toList();
        Page wanted = Page.of(request.nextToken(), request.limit(), EVENTS_PAGE, Integer.MAX_VALUE);
        // One past the page is read, so that the page knows whether another follows.
        List<LogsService.Event> matching = logs.interleaved(streams, from(request.startTime()),
                to(request.endTime(), true), pattern::matches, (int) Math.min(Integer.MAX_VALUE, wanted.to() + 1L));
        Page page = Page.of(request.nextToken(), request.limit(), EVENTS_PAGE, matching.size());
        return FilterLogEventsResponse.builder()
                .events(matching.subList(page.from(), page.to()).stream().map(event -> FilteredLogEvent.builder()
                        .logStreamName(event.stream()).timestamp(event.timestamp()).message(event.message())
                        .ingestionTime(event.ingestionTime()).eventId(event.eventId()).build()).toList())
                .nextToken(page.nextToken())
                .build();
    }

    /** The group a request names, by name or by identifier (a name or an ARN). */
    private static String groupName(String name, String identifier) {
        if (name != null && identifier != null) {
            throw new ServiceException(400, "InvalidParameterException", "logGroupName and logGroupIdentifier cannot"
                    + " both be given.");
        }
        String chosen = name != null ? name : identifier;
        if (chosen != null && chosen.startsWith("arn:")) {
            chosen = chosen.substring(chosen.indexOf(":log-group:") + ":log-group:".length()).replaceFirst(":\\*$", "");
        }
        if (chosen == null) {
            throw new ServiceException(400, "InvalidParameterException", "logGroupName or logGroupIdentifier is"
                    + " required.");
        }
        return chosen;
    }

    private static long from(Long start) {
        return start == null ? Long.MIN_VALUE : start;
    }

    /**
     * Where a time range ends, exclusive, in epoch milliseconds: FilterLogEvents keeps an event at the end time,
     * GetLogEvents does not (CloudWatch Logs API reference, endTime of each).
     */
    private static long to(Long end, boolean endIncluded) {
        if (end == null) {
            return Long.MAX_VALUE;
        }
        return endIncluded ? end + 1 : end;
    }

    /** One page of a list: where it starts and ends, and the token for the next one (null at the end). */
    private record Page(int from, int to, String nextToken) {

        static Page of(String token, Integer limit, int defaultLimit, int size) {
            int from = token == null ? 0 : Math.min(size, offset(token));
            int count = limit == null ? defaultLimit : limit;
            if (count < 1) {
                throw new ServiceException(400, "InvalidParameterException", "limit must be at least 1.");
            }
            int to = (int) Math.min(size, (long) from + count);
            return new Page(from, to, to < size ? Integer.toString(to) : null);
        }

        static int offset(String token) {
            try {
                return Integer.parseInt(token);
            } catch (NumberFormatException unknown) {
                throw invalidToken();
            }
        }

        static ServiceException invalidToken() {
            return new ServiceException(400, "InvalidParameterException", "The specified nextToken is invalid.");
        }
    }
}
