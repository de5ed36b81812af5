package xrayasync.localcloud.core.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The records of one kind in the {@link Store}: each has a key unique in its kind, a scope it is listed under (a
 * trace, a log stream, a queue, a bucket), a time it is ordered by within the scope, and a value kept as JSON.
 * Every write is durable when it returns (or, inside {@link Store#transaction}, when the transaction does).
 */
public final class Records {

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule()
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser parser, DeserializationContext context)
                                throws IOException {
                            return Instant.parse(parser.getValueAsString());
                        }
                    }));

    /** A record as stored: its key, scope, time and value. */
    public record Entry<T>(String key, String scope, long at, T value) {
    }

    private static final int SCOPES_PER_QUERY = 500;

    private final Store store;
    private final String kind;

    Records(Store store, String kind) {
        this.store = store;
        this.kind = kind;
    }

    /** Adds the record, or replaces the one with the same key. */
    public void put(String key, String scope, long at, Object value) {
        byte[] body = encode(value);
        store.write(connection -> {
            try (PreparedStatement put = connection.prepareStatement("INSERT OR REPLACE INTO record (kind, key, scope,"
                    + " at, body) VALUES (?, ?, ?, ?, ?)")) {
                put.setString(1, kind);
                put.setString(2, key);
                put.setString(3, scope == null ? "" : scope);
                put.setLong(4, at);
                put.setBytes(5, body);
                return put.executeUpdate();
            }
        });
    }

    /** Adds or replaces a record with no scope or time of its own (a stack, a queue's settings). */
    public void put(String key, Object value) {
        put(key, "", 0, value);
    }

    public <T> Optional<T> get(String key, Class<T> type) {
        return store.read(connection -> {
            try (PreparedStatement get = connection.prepareStatement("SELECT body FROM record WHERE kind = ? AND key = ?")) {
                get.setString(1, kind);
                get.setString(2, key);
                try (ResultSet found = get.executeQuery()) {
                    return found.next() ? Optional.of(decode(found.getBytes(1), type)) : Optional.empty();
                }
            }
        });
    }

    /** Deletes the record; whether there was one. */
    public boolean delete(String key) {
        return update("DELETE FROM record WHERE kind = ? AND key = ?", key) > 0;
    }

    /** Deletes every record of the scope; how many there were. */
    public int deleteScope(String scope) {
        return update("DELETE FROM record WHERE kind = ? AND scope = ?", scope);
    }

    /** Deletes the records older than the time, in the scope (or every scope when null); how many there were. */
    public int deleteBefore(String scope, long at) {
        return store.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(scope == null
                    ? "DELETE FROM record WHERE kind = ? AND at < ?"
                    : "DELETE FROM record WHERE kind = ? AND at < ? AND scope = ?")) {
                delete.setString(1, kind);
                delete.setLong(2, at);
                if (scope != null) {
                    delete.setString(3, scope);
                }
                return delete.executeUpdate();
            }
        });
    }

    private int update(String sql, String value) {
        return store.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, kind);
                statement.setString(2, value);
                return statement.executeUpdate();
            }
        });
    }

    /** Every record of this kind, in key order. */
    public <T> List<Entry<T>> all(Class<T> type) {
        List<Entry<T>> found = new ArrayList<>();
        scan("SELECT key, scope, at, body FROM record WHERE kind = ? ORDER BY key", type, statement -> {
        }, entry -> found.add(entry));
        return found;
    }

    /** The records of a scope from one time up to (not including) another, in time order, up to the limit. */
    public <T> List<Entry<T>> inScope(String scope, long from, long to, int limit, Class<T> type) {
        List<Entry<T>> found = new ArrayList<>();
        forEachInScope(scope, from, to, type, entry -> {
            found.add(entry);
            return found.size() < limit;
        });
        return found;
    }

    /** Every record of a scope, in time order. */
    public <T> List<Entry<T>> inScope(String scope, Class<T> type) {
        return inScope(scope, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, type);
    }

    /** The records of each of the scopes, in time order, read in few queries; a scope with none is left out. */
    public <T> Map<String, List<Entry<T>>> inScopes(List<String> scopes, Class<T> type) {
        Map<String, List<Entry<T>>> found = new LinkedHashMap<>();
        // SQLite binds at most 32,766 parameters to a statement; a window of traces can name more.
        for (int from = 0; from < scopes.size(); from += SCOPES_PER_QUERY) {
            List<String> chunk = scopes.subList(from, Math.min(scopes.size(), from + SCOPES_PER_QUERY));
            // Told the index: left to choose, SQLite walks the whole kind (by key, or by time for an ORDER BY).
            scan("SELECT key, scope, at, body FROM record INDEXED BY record_by_scope WHERE kind = ? AND scope IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")", type,
                    statement -> {
                        for (int index = 0; index < chunk.size(); index++) {
                            statement.setString(index + 2, chunk.get(index));
                        }
                    }, entry -> found.computeIfAbsent(entry.scope(), scope -> new ArrayList<>()).add(entry));
        }
        found.values().forEach(entries -> entries.sort(Comparator.comparingLong(Entry<T>::at)
                .thenComparing(Entry::key)));
        return found;
    }

    /**
     * Hands the records of a scope from one time up to (not including) another to the visitor in time order (key
     * order among equal times), read as they are visited, until it answers false. The visitor runs on a reader
     * thread of the store and must not call the store itself.
     */
    public <T> void forEachInScope(String scope, long from, long to, Class<T> type, Predicate<Entry<T>> visitor) {
        scan("SELECT key, scope, at, body FROM record WHERE kind = ? AND scope = ? AND at >= ? AND at < ?"
                + " ORDER BY at, key", type, statement -> {
                    statement.setString(2, scope);
                    statement.setLong(3, from);
                    statement.setLong(4, to);
                }, visitor);
    }

    /** The records of every scope from one time up to (not including) another, in time order. */
    public <T> List<Entry<T>> between(long from, long to, Class<T> type) {
        List<Entry<T>> found = new ArrayList<>();
        scan("SELECT key, scope, at, body FROM record WHERE kind = ? AND at >= ? AND at < ? ORDER BY at, key", type,
                statement -> {
                    statement.setLong(2, from);
                    statement.setLong(3, to);
                }, entry -> found.add(entry));
        return found;
    }

    /** The scopes records of this kind are listed under. */
    public List<String> scopes() {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT DISTINCT scope FROM record WHERE"
                    + " kind = ?")) {
                query.setString(1, kind);
                List<String> scopes = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        scopes.add(rows.getString(1));
                    }
                }
                return scopes;
            }
        });
    }

    /** How many records of this kind there are. */
    public long count() {
        return store.read(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM record WHERE kind = ?")) {
                count.setString(1, kind);
                try (ResultSet result = count.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private <T> void scan(String sql, Class<T> type, Binding binding, Predicate<Entry<T>> visitor) {
        store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, kind);
                binding.bind(query);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Entry<T> entry = new Entry<>(rows.getString(1), rows.getString(2), rows.getLong(3),
                                decode(rows.getBytes(4), type));
                        if (!visitor.test(entry)) {
                            break;
                        }
                    }
                }
            }
            return null;
        });
    }

    private static byte[] encode(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(byte[] body, Class<T> type) {
        if (type == byte[].class) {
            return (T) body;
        }
        try {
            return JSON.readValue(body, type);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("A record of the local cloud's store does not read as "
                    + type.getSimpleName() + ": " + unreadable.getMessage(), unreadable);
        }
    }
}
