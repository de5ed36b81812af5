package xrayasync.localcloud.core.lambda;

import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * One execution environment's log stream: what the function writes goes into it line by line, and Lambda's records
 * in the function's log format (the text lines under Text, JSON records under JSON); the cloud's transcript gets both,
 * with Lambda's records as text.
 */
final class FunctionLogStream {

    private final FunctionDefinition function;
    private final String name;
    private final CloudLog log;
    // What the running invocation has put so far; null between invocations.
    private StringBuilder invocation;

    FunctionLogStream(FunctionDefinition function, String name, CloudLog log) {
        this.function = function;
        this.name = name;
        this.log = log;
    }

    /** The stream's name, for AWS_LAMBDA_LOG_STREAM_NAME. */
    String name() {
        return name;
    }

    /** A line the function wrote to its standard output or error. */
    void output(String line) {
        log.write(function.name(), line);
        put(line);
    }

    private synchronized void put(String message) {
        log.put(function, name, message);
        if (invocation != null) {
            invocation.append(message).append('\n');
        }
    }

    /** Starts keeping what is put, for the invocation that begins (Invoke with LogType Tail returns its end). */
    synchronized void beginInvocation() {
        invocation = new StringBuilder();
    }

    /** What was put since the invocation began; keeping stops. */
    synchronized String endInvocation() {
        String kept = invocation == null ? "" : invocation.toString();
        invocation = null;
        return kept;
    }

    /** A line of the cloud's own about this environment: in the transcript only. */
    void notice(String line) {
        log.write(function.name(), line);
    }

    /** One of Lambda's own records about an invocation. */
    void platform(PlatformRecord record) {
        record.text().forEach(line -> log.write(function.name(), line));
        boolean json = "JSON".equals(function.logFormat());
        for (String message : json ? record.json(log.clock().instant()) : record.text()) {
            put(message);
        }
    }
}
