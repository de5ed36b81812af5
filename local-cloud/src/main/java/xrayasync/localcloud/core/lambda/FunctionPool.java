package xrayasync.localcloud.core.lambda;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * The execution environments of one function version: a warm one is reused, another starts when all are busy, up
 * to a cap; past it an invocation waits for a free environment (where Lambda would scale out further, or throttle).
 */
final class FunctionPool implements AutoCloseable {

    private final FunctionDefinition function;
    private final String version;
    private final Path taskRoot;
    private final RuntimeLauncher launcher;
    private final Map<String, String> environment;
    private final CloudLog log;
    private final Deque<ExecutionEnvironment> idle = new ConcurrentLinkedDeque<>();
    private final List<ExecutionEnvironment> all = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger peakBusy = new AtomicInteger();
    private final Semaphore capacity;
    private boolean closed;
    private volatile boolean draining;

    FunctionPool(FunctionDefinition function, String version, Path taskRoot, RuntimeLauncher launcher,
            Map<String, String> environment, CloudLog log, int maximumEnvironments) {
        this.capacity = new Semaphore(maximumEnvironments, true);
        this.function = function;
        this.version = version;
        this.taskRoot = taskRoot;
        this.launcher = launcher;
        this.environment = environment;
        this.log = log;
    }

    /** Runs one invocation in a free environment, starting one (a cold start) when none is free. */
    ExecutionEnvironment.Attempt invoke(String requestId, byte[] payload, FunctionArn invokedArn, TraceHeader traceHeader)
            throws IOException, InterruptedException {
        capacity.acquire();
        try {
            ExecutionEnvironment environment = acquire();
            peakBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
            try {
                return environment.invoke(requestId, payload, invokedArn, traceHeader);
            } finally {
                busy.decrementAndGet();
                release(environment);
            }
        } finally {
            capacity.release();
        }
    }

    /** The most environments this version ran at once. */
    int peakConcurrency() {
        return peakBusy.get();
    }

    private ExecutionEnvironment acquire() throws IOException {
        for (ExecutionEnvironment warm = idle.pollFirst(); warm != null; warm = idle.pollFirst()) {
            if (warm.alive()) {
                return warm;
            }
            warm.close();
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("No execution environment can start here any more: the local cloud is stopping,"
                        + " or the function's code was replaced.");
            }
            ExecutionEnvironment started = ExecutionEnvironment.start(function, version, taskRoot, launcher,
                    environment, log);
            all.add(started);
            return started;
        }
    }

    private void release(ExecutionEnvironment environment) {
        if (environment.alive() && !draining) {
            idle.addFirst(environment);
        } else {
            environment.close();
            synchronized (this) {
                all.remove(environment);
            }
        }
    }

    /**
     * Starts no environment any more and ends the idle ones; a busy one ends when its invocation does (the version's
     * code was replaced, or the function deleted).
     */
    void drain() {
        draining = true;
        synchronized (this) {
            closed = true;
        }
        retireIdle();
    }

    /** Ends every idle environment, so the next invocation is a cold start (as when Lambda recycles them). */
    void retireIdle() {
        for (ExecutionEnvironment environment = idle.pollFirst(); environment != null; environment = idle.pollFirst()) {
            environment.close();
            synchronized (this) {
                all.remove(environment);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        all.forEach(ExecutionEnvironment::close);
    }
}
