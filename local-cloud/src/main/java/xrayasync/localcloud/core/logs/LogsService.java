package xrayasync.localcloud.core.logs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * CloudWatch Logs' state as the local cloud keeps it: log groups, their streams, and each stream's events in the order
 * they were put, with the names, times and ids the service reports.
 */
public final class LogsService {

    /** One event of a stream. */
    public record Event(String stream, long timestamp, String message, long ingestionTime, String eventId) {
    }

    /** A stream of a group, and what CloudWatch reports of it. */
    public static final class Stream {
        private final String name;
        private final long creationTime;
        private final List<Event> events = new ArrayList<>();

        Stream(String name, long creationTime) {
            this.name = name;
            this.creationTime = creationTime;
        }

        public String name() {
            return name;
        }

        public long creationTime() {
            return creationTime;
        }

        /** The events so far, in the order they were put. */
        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        synchronized void add(Event event) {
            events.add(event);
        }

        /** The last event's timestamp, or null for a stream with none. */
        public synchronized Long lastEventTimestamp() {
            return events.isEmpty() ? null : events.getLast().timestamp();
        }

        public synchronized Long firstEventTimestamp() {
            return events.isEmpty() ? null : events.getFirst().timestamp();
        }

        public synchronized Long lastIngestionTime() {
            return events.isEmpty() ? null : events.getLast().ingestionTime();
        }

        public synchronized long storedBytes() {
            return events.stream().mapToLong(event -> event.message().length()).sum();
        }
    }

    /** A log group: its streams by name, and its retention (null: never expire). */
    public static final class Group {
        private final String name;
        private final long creationTime;
        private final Integer retentionInDays;
        private final Map<String, Stream> streams = new ConcurrentSkipListMap<>();

        Group(String name, long creationTime, Integer retentionInDays) {
            this.name = name;
            this.creationTime = creationTime;
            this.retentionInDays = retentionInDays;
        }

        public String name() {
            return name;
        }

        public long creationTime() {
            return creationTime;
        }

        public Integer retentionInDays() {
            return retentionInDays;
        }

        public List<Stream> streams() {
            return List.copyOf(streams.values());
        }

        public long storedBytes() {
            return streams.values().stream().mapToLong(Stream::storedBytes).sum();
        }
    }

    private final Map<String, Group> groups = new ConcurrentSkipListMap<>();
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public LogsService(Clock clock) {
        this.clock = clock;
    }

    /** Creates a group, as CloudFormation does for a declared one; a group that exists is kept as it is. */
    public Group createGroup(String name, Integer retentionInDays) {
        return groups.computeIfAbsent(name, key -> new Group(key, clock.millis(), retentionInDays));
    }

    /** Deletes a group and its streams, as CloudFormation does with a stack's log group. */
    public void deleteGroup(String name) {
        groups.remove(name);
    }

    /** Appends an event to a stream, creating the group and the stream as Lambda does on its first write. */
    public void put(String groupName, String streamName, long timestamp, String message) {
        Group group = createGroup(groupName, null);
        Stream stream = group.streams.computeIfAbsent(streamName, key -> new Stream(key, clock.millis()));
        long ingested = clock.millis();
        // CloudWatch event ids are 56 digits; these count up, so ids are unique and in put order.
        stream.add(new Event(streamName, timestamp, message, ingested,
                String.format("%020d%036d", timestamp, sequence.incrementAndGet())));
    }

    /** The groups whose names start with the prefix, in name order. */
    public List<Group> groups(String prefix) {
        return groups.values().stream().filter(group -> prefix == null || group.name().startsWith(prefix)).toList();
    }

    public Group group(String name) {
        return Optional.ofNullable(name).map(groups::get).orElseThrow(() -> new ServiceException(400,
                "ResourceNotFoundException", "The specified log group does not exist."));
    }

    public Stream stream(String groupName, String streamName) {
        return Optional.ofNullable(streamName).map(group(groupName).streams::get).orElseThrow(() -> new ServiceException(
                400, "ResourceNotFoundException", "The specified log stream does not exist."));
    }

    /** Every event of the chosen streams, interleaved by time (put order among equal times). */
    public static List<Event> interleaved(List<Stream> streams) {
        List<Event> all = new ArrayList<>();
        streams.forEach(stream -> all.addAll(stream.events()));
        all.sort(Comparator.comparingLong(Event::timestamp).thenComparing(Event::eventId));
        return all;
    }
}
