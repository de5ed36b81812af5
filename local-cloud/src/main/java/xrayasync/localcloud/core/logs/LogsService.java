package xrayasync.localcloud.core.logs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;

/**
 * CloudWatch Logs' state as the local cloud keeps it, in the {@link Store}: log groups, their streams, and each
 * stream's events under the stream in time order, with the names, times and ids the service reports; events older
 * than their group's RetentionInDays are removed, as CloudWatch Logs expires them.
 */
public final class LogsService {

    /** One event of a stream. */
    public record Event(String stream, long timestamp, String message, long ingestionTime, String eventId) {
    }

    /** A stream of a group, and what CloudWatch reports of it (timestamps null while it has no event). */
    public record Stream(String group, String name, long creationTime, Long firstEventTimestamp,
            Long lastEventTimestamp, Long lastIngestionTime, long storedBytes) {

        Stream with(Event event) {
            return new Stream(group, name, creationTime,
                    firstEventTimestamp == null ? event.timestamp() : Math.min(firstEventTimestamp, event.timestamp()),
                    lastEventTimestamp == null ? event.timestamp() : Math.max(lastEventTimestamp, event.timestamp()),
                    event.ingestionTime(), storedBytes + event.message().length());
        }
    }

    /** A log group and its retention (null: never expire). */
    public record Group(String name, long creationTime, Integer retentionInDays) {
    }

    /** An event as the store keeps it: the stream and the event id are its scope and key. */
    private record StoredEvent(String message, long ingestionTime) {
    }

    private static final String SCOPE_SEPARATOR = "\n";

    private final Store store;
    private final Records groups;
    private final Records streams;
    private final Records events;
    private final Clock clock;
    private final AtomicLong sequence;

    public LogsService(Store store, Clock clock) {
        this.store = store;
        this.groups = store.records("logs-group");
        this.streams = store.records("logs-stream");
        this.events = store.records("logs-event");
        this.clock = clock;
        // Ids count up from the start time, so they stay unique and in put order across restarts.
        this.sequence = new AtomicLong(clock.millis() * 1000);
        store.retain("logs-event", scope -> groups.get(scope.substring(0, scope.indexOf(SCOPE_SEPARATOR)), Group.class)
                .map(Group::retentionInDays).map(Duration::ofDays));
    }

    /** Creates a group, as CloudFormation does for a declared one; a group that exists is kept as it is. */
    public Group createGroup(String name, Integer retentionInDays) {
        return store.transaction(() -> groups.get(name, Group.class).orElseGet(() -> {
            Group group = new Group(name, clock.millis(), retentionInDays);
            groups.put(name, group);
            return group;
        }));
    }

    /** Deletes a group, its streams and their events, as CloudFormation does with a stack's log group. */
    public void deleteGroup(String name) {
        store.transaction(() -> {
            for (Records.Entry<Stream> stream : streams.inScope(name, Stream.class)) {
                events.deleteScope(scope(name, stream.value().name()));
            }
            streams.deleteScope(name);
            return groups.delete(name);
        });
    }

    /**
     * Appends an event to a stream soon, creating the group and the stream as Lambda does on its first write; the
     * events of many writers are committed together, as a function's output comes line by line.
     */
    public void putSoon(String groupName, String streamName, long timestamp, String message,
            Consumer<Throwable> failed) {
        store.later(append(groupName, streamName, timestamp, message), failed);
    }

    /** Appends an event and returns once it is kept; a failure to keep it is thrown here. */
    public void put(String groupName, String streamName, long timestamp, String message) {
        store.transaction(append(groupName, streamName, timestamp, message));
    }

    /** The writes of one event, for a transaction: the group and the stream when new, the stream's figures, the event. */
    private Callable<Object> append(String groupName, String streamName, long timestamp, String message) {
        long ingested = clock.millis();
        // CloudWatch event ids are 56 digits; these count up, so ids are unique and in put order.
        Event event = new Event(streamName, timestamp, message, ingested,
                String.format("%020d%036d", timestamp, sequence.incrementAndGet()));
        return () -> {
            if (groups.get(groupName, Group.class).isEmpty()) {
                groups.put(groupName, new Group(groupName, ingested, null));
            }
            String key = scope(groupName, streamName);
            Stream stream = streams.get(key, Stream.class)
                    .orElseGet(() -> new Stream(groupName, streamName, ingested, null, null, null, 0));
            streams.put(key, groupName, stream.creationTime(), stream.with(event));
            events.put(event.eventId(), key, timestamp, new StoredEvent(message, ingested));
            return null;
        };
    }

    /** The groups whose names start with the prefix, in name order. */
    public List<Group> groups(String prefix) {
        return groups.all(Group.class).stream().map(Records.Entry::value)
                .filter(group -> prefix == null || group.name().startsWith(prefix)).toList();
    }

    public Group group(String name) {
        return Optional.ofNullable(name).flatMap(named -> groups.get(named, Group.class))
                .orElseThrow(() -> new ServiceException(400, "ResourceNotFoundException",
                        "The specified log group does not exist."));
    }

    /** A group's streams, in name order. */
    public List<Stream> streams(String groupName) {
        return streams.inScope(groupName, Stream.class).stream().map(Records.Entry::value)
                .sorted(Comparator.comparing(Stream::name)).toList();
    }

    /** The bytes a group's events hold, as DescribeLogGroups reports them. */
    public long storedBytes(String groupName) {
        return streams(groupName).stream().mapToLong(Stream::storedBytes).sum();
    }

    public Stream stream(String groupName, String streamName) {
        group(groupName);
        return Optional.ofNullable(streamName).flatMap(name -> streams.get(scope(groupName, name), Stream.class))
                .orElseThrow(() -> new ServiceException(400, "ResourceNotFoundException",
                        "The specified log stream does not exist."));
    }

    /** A stream's events from one time up to (not including) another, in time order. */
    public List<Event> events(Stream stream, long from, long to) {
        List<Event> found = new ArrayList<>();
        visit(stream, from, to, event -> {
            found.add(event);
            return true;
        });
        return found;
    }

    /**
     * The first events of the chosen streams, interleaved by time (put order among equal times), that match, from one
     * time up to (not including) another: at most {@code atMost}, read no further than needed.
     */
    public List<Event> interleaved(List<Stream> chosen, long from, long to, Predicate<String> matches, int atMost) {
        List<Event> all = new ArrayList<>();
        for (Stream stream : chosen) {
            List<Event> ofStream = new ArrayList<>();
            visit(stream, from, to, event -> {
                if (matches.test(event.message())) {
                    ofStream.add(event);
                }
                return ofStream.size() < atMost;
            });
            all.addAll(ofStream);
        }
        all.sort(Comparator.comparingLong(Event::timestamp).thenComparing(Event::eventId));
        return all.size() > atMost ? all.subList(0, atMost) : all;
    }

    private void visit(Stream stream, long from, long to, Predicate<Event> visitor) {
        events.forEachInScope(scope(stream.group(), stream.name()), from, to, StoredEvent.class, stored ->
                visitor.test(new Event(stream.name(), stored.at(), stored.value().message(),
                        stored.value().ingestionTime(), stored.key())));
    }

    private static String scope(String groupName, String streamName) {
        return groupName + SCOPE_SEPARATOR + streamName;
    }
}
