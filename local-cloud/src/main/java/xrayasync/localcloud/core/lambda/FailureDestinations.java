package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The on-failure destinations (SQS queues, by ARN): each keeps the invocation records Lambda sends it, in memory and
 * as one JSON line per record in {@code <queue name>.jsonl} under the cloud's work folder.
 */
public final class FailureDestinations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Map<String, List<ObjectNode>> records = new ConcurrentHashMap<>();

    public FailureDestinations(Path folder) {
        this.folder = folder;
    }

    void send(String queue, ObjectNode record) {
        records.computeIfAbsent(queue, name -> new CopyOnWriteArrayList<>()).add(record);
        try {
            Files.createDirectories(folder);
            Files.writeString(file(queue), JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** The records a queue holds, oldest first. */
    public List<ObjectNode> records(String queue) {
        return List.copyOf(records.getOrDefault(queue, List.of()));
    }

    /** Deletes a queue and the records it holds, as CloudFormation does with a stack's queue. */
    public void delete(String queue) {
        records.remove(queue);
        try {
            Files.deleteIfExists(file(queue));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Where a queue's records are kept on disk: a file named after the queue, the last part of its ARN. */
    public Path file(String queue) {
        return folder.resolve(queue.substring(queue.lastIndexOf(':') + 1) + ".jsonl");
    }
}
