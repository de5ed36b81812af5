package xrayasync.localcloud.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.time.Duration;
import java.time.Instant;

/**
 * The one persistence layer every service of the local cloud writes through: an SQLite database in the work folder
 * ({@code local-cloud.db}, write-ahead log, synchronous commits) for records, and a folder of files it owns for large
 * bytes ({@link Blobs}). A write is durable when its call returns, so a service may tell its client it succeeded;
 * writes from many threads are committed together (group commit) by one platform thread, and reads run on platform
 * threads of their own, so no virtual thread ever waits inside the database's native code.
 *
 * <p>SQLite rather than H2: its commit is atomic and durable across power loss and {@code kill -9} by design (the
 * write-ahead log is checked at open and replayed or dropped whole), which is the one property the cloud needs; the
 * caller must hold the folder's {@link WorkFolderLock}.
 */
public final class Store implements AutoCloseable {

    static final String FILE = "local-cloud.db";

    private record Task(Callable<?> work, CompletableFuture<Object> done) {
    }

    private final Path folder;
    private final Connection writer;
    private final BlockingQueue<Task> writes = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
    private final List<Connection> readerConnections = new ArrayList<>();
    private final ExecutorService readers;
    private final Blobs blobs;
    private final Map<String, Duration> kindRetention = new ConcurrentHashMap<>();
    private final Map<String, Function<String, Optional<Duration>>> scopeRetention = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("store-retention").factory());
    private volatile boolean closed;

    private Store(Path folder) throws IOException {
        this.folder = folder;
        try {
            writer = connect();
            try (Statement schema = writer.createStatement()) {
                schema.execute("PRAGMA journal_mode=WAL");
                schema.execute("CREATE TABLE IF NOT EXISTS record (kind TEXT NOT NULL, key TEXT NOT NULL,"
                        + " scope TEXT NOT NULL, at INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (kind, key))"
                        + " WITHOUT ROWID");
                schema.execute("CREATE INDEX IF NOT EXISTS record_by_scope ON record (kind, scope, at)");
                schema.execute("CREATE INDEX IF NOT EXISTS record_by_time ON record (kind, at)");
            }
            writer.setAutoCommit(false);
        } catch (SQLException unusable) {
            throw unusable(unusable);
        }
        blobs = new Blobs(folder.resolve("blobs"));
        AtomicInteger readerNumber = new AtomicInteger();
        readers = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon()
                .name("store-reader-", readerNumber.incrementAndGet()).factory());
        writerThread = Thread.ofPlatform().daemon().name("store-writer").start(this::commitLoop);
        // Soon after start (the services have said what they keep by then), then hourly, as the services expire data.
        sweeper.scheduleAtFixedRate(() -> sweep(Instant.now()), 10, 3600, TimeUnit.SECONDS);
    }

    /** Opens the work folder's store, creating it when new; the caller holds the folder's lock. */
    public static Store open(Path folder) throws IOException {
        Files.createDirectories(folder);
        return new Store(folder);
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(FILE));
        try (Statement settings = connection.createStatement()) {
            // FULL: the log is synced at every commit, so a commit that returned survives a crash of the machine too.
            settings.execute("PRAGMA synchronous=FULL");
            settings.execute("PRAGMA busy_timeout=10000");
        }
        return connection;
    }

    private IOException unusable(SQLException failure) {
        return new IOException("The local cloud cannot use its database " + folder.resolve(FILE) + " ("
                + failure.getMessage() + "): start with another --work-dir, or remove that folder to start afresh.",
                failure);
    }

    /** The records of one kind (a service's segments, messages, objects' heads, …). */
    public Records records(String kind) {
        return new Records(this, kind);
    }

    /** Large bytes (S3's objects), as files the store owns. */
    public Blobs blobs() {
        return blobs;
    }

    /** Keeps the records of a kind for the given time after their own time, then removes them. */
    public void retain(String kind, Duration age) {
        kindRetention.put(kind, age);
    }

    /** Keeps the records of a kind for as long as their scope says (empty: for ever), then removes them. */
    public void retain(String kind, Function<String, Optional<Duration>> ageOfScope) {
        scopeRetention.put(kind, ageOfScope);
    }

    /** Removes what the retention rules say is past its time at the given moment. */
    public void sweep(Instant now) {
        if (closed) {
            return;
        }
        kindRetention.forEach((kind, age) -> records(kind).deleteBefore(null, now.minus(age).toEpochMilli()));
        scopeRetention.forEach((kind, ageOfScope) -> {
            Records records = records(kind);
            for (String scope : records.scopes()) {
                ageOfScope.apply(scope).ifPresent(age -> records.deleteBefore(scope, now.minus(age).toEpochMilli()));
            }
        });
    }

    /**
     * Runs the work as one transaction: every write in it is committed together, or none is when it throws. Durable
     * when this returns.
     */
    public <T> T transaction(Callable<T> work) {
        if (Thread.currentThread() == writerThread) {
            return call(work);
        }
        return await(submit(work));
    }

    /**
     * Runs the work as a transaction soon, without waiting: for what no client was told about (a UDP datagram).
     *
     * @return done once the transaction is committed
     */
    public CompletableFuture<Object> later(Callable<?> work, Consumer<Throwable> failed) {
        return submit(work).whenComplete((result, failure) -> {
            if (failure != null) {
                failed.accept(failure);
            }
        });
    }

    /** Waits until every write submitted so far is committed. */
    public void flush() {
        transaction(() -> null);
    }

    private CompletableFuture<Object> submit(Callable<?> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("The local cloud's store is closed."));
            return done;
        }
        writes.add(new Task(work, done));
        return done;
    }

    private void commitLoop() {
        List<Task> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(writes.take());
            } catch (InterruptedException stopping) {
                break;
            }
            writes.drainTo(batch);
            commit(batch);
            batch.clear();
        }
        List<Task> left = new ArrayList<>();
        writes.drainTo(left);
        commit(left);
    }

    /** One transaction for the whole batch; each task in a savepoint, so one that fails leaves the others in. */
    private void commit(List<Task> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object> results = new ArrayList<>();
        try {
            for (Task task : batch) {
                try (Statement savepoint = writer.createStatement()) {
                    savepoint.execute("SAVEPOINT task");
                    try {
                        results.add(new Done(task.work().call()));
                        savepoint.execute("RELEASE task");
                    } catch (Exception failure) {
                        savepoint.execute("ROLLBACK TO task");
                        savepoint.execute("RELEASE task");
                        results.add(new Failed(failure));
                    }
                }
            }
            writer.commit();
        } catch (SQLException commitFailed) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // The connection reports the first failure; the batch fails either way.
            }
            batch.forEach(task -> task.done().completeExceptionally(commitFailed));
            return;
        }
        for (int index = 0; index < batch.size(); index++) {
            switch (results.get(index)) {
                case Done(Object value) -> batch.get(index).done().complete(value);
                case Failed(Exception failure) -> batch.get(index).done().completeExceptionally(failure);
                default -> throw new IllegalStateException();
            }
        }
    }

    private record Done(Object value) {
    }

    private record Failed(Exception failure) {
    }

    /** Runs a write on the writer's connection: inline inside a transaction, else as a transaction of its own. */
    <T> T write(SqlWork<T> work) {
        return transaction(() -> work.run(writer));
    }

    /** Runs a read on a reader thread, or on the writer's connection inside a transaction (it sees the writes so far). */
    <T> T read(SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return call(() -> work.run(writer));
        }
        Future<T> result;
        try {
            result = readers.submit(() -> work.run(reader()));
        } catch (RejectedExecutionException stopped) {
            throw new IllegalStateException("The local cloud's store is closed.", stopped);
        }
        return await(result);
    }

    private Connection reader() throws SQLException {
        Connection connection = readerConnection.get();
        if (connection == null) {
            connection = connect();
            readerConnection.set(connection);
            synchronized (readerConnections) {
                readerConnections.add(connection);
            }
        }
        return connection;
    }

    /** Database work on one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T call(Callable<T> work) {
        try {
            return work.call();
        } catch (RuntimeException failure) {
            throw failure;
        } catch (Exception failure) {
            throw new StoreException(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T await(Future<?> result) {
        try {
            return (T) result.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the local cloud's store.", interrupted);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException(failed.getCause());
        }
    }

    /** Commits what was submitted, then closes the database; later writes are refused. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        writerThread.interrupt();
        try {
            writerThread.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        readers.shutdown();
        try {
            readers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            writer.close();
            synchronized (readerConnections) {
                for (Connection connection : readerConnections) {
                    connection.close();
                }
            }
        } catch (SQLException | InterruptedException ignored) {
            // Closing after the last commit: the database is consistent whatever happens here.
        }
    }
}
