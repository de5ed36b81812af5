package xrayasync.localcloud.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.harness.bench.ColdStartBenchmark;
import xrayasync.localcloud.harness.bench.StoreReadBenchmark;
import xrayasync.localcloud.harness.check.AsyncHop;
import xrayasync.localcloud.harness.check.TraceCheck;
import xrayasync.localcloud.harness.check.TraceCheckCommand;
import xrayasync.localcloud.harness.check.TracePage;
import xrayasync.localcloud.harness.load.LoadRun;

/** The local cloud's command line: run the trace check offline, serve the cloud, or check any endpoint. */
@Command(name = "local-cloud", mixinStandardHelpOptions = true,
        subcommands = {LocalCloudCommand.Run.class, LocalCloudCommand.Serve.class, LocalCloudCommand.Load.class,
                LocalCloudCommand.Benchmark.class, LocalCloudCommand.ReadBenchmark.class,
                TraceCheckCommand.class},
        description = "Offline stand-in for Lambda, S3, SQS, SNS, EventBridge, X-Ray, CloudWatch Logs and"
                + " CloudFormation that runs the built functions of a SAM template (sam build's output or a Maven"
                + " build).")
public final class LocalCloudCommand {

    public static void main(String[] arguments) {
        System.exit(commandLine().execute(arguments));
    }

    /** The command line, with errors a user can meet told as a sentence and exit code 2, never a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new LocalCloudCommand()).setExecutionExceptionHandler((failure, command, parsed) -> {
            command.getErr().println("local-cloud " + command.getCommandName() + ": " + explain(failure));
            return 2;
        });
    }

    /** What went wrong, in the words of the failure and of what caused it. */
    static String explain(Throwable failure) {
        if (failure instanceof SdkClientException unreachable && unreachable.getCause() instanceof IOException io) {
            return "could not reach the endpoint (" + io.getMessage() + "). Check the endpoint URL, or start the"
                    + " local cloud with: java -jar local-cloud/target/local-cloud.jar serve";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** Starts the cloud, invokes the caller, prints the trace and its verdict, stops; exit 0 on the hop's AWS verdict. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Start the local cloud, run the trace check with an event, print the trace, stop.")
    static final class Run implements Callable<Integer> {

        /** Beside serve's, so a run works while serve runs and leaves it alone. */
        static final Path WORK_DIRECTORY = Path.of("target/local-cloud-run");

        @Mixin
        CloudOptions cloud;

        @Mixin
        FunctionPairOptions functions;

        @Mixin
        EventOption event;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "How long to wait for the callee's"
                + " segments (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--hop", defaultValue = "lambda", description = "How the caller hands its event on: lambda"
                + " (Invoke, InvocationType=Event), sqs (a queue and its event source mapping), sns (a topic with"
                + " active tracing) or eventbridge (a bus and a rule); sets the AsyncHop parameter (default: ${DEFAULT-VALUE})")
        String hopOption;

        @Override
        public Integer call() throws Exception {
            AsyncHop hop = AsyncHop.ofOption(hopOption);
            byte[] payload = event.read();
            FunctionPair pair = functions.pair();
            if (hop != AsyncHop.LAMBDA_EVENT) {
                cloud.parameters.put("AsyncHop", hop.parameterValue());
            }
            System.out.println("==> Starting the local cloud (Lambda, S3, SQS, SNS, EventBridge, X-Ray, Logs and"
                    + " CloudFormation on loopback) for " + cloud.template);
            LocalCloud.Settings settings = cloud.settings(0, WORK_DIRECTORY);
            try (LocalCloud local = LocalCloud.start(settings);
                    TraceCheckCommand.Clients clients = TraceCheckCommand.Clients.local(local.endpoint())) {
                System.out.println("==> " + local.stack());
                TraceCheck.Result result = new TraceCheck(clients.lambda(), clients.xray(), System.out, timeout,
                        Duration.ofMillis(250), local::settled).run(local.stack().function(pair.callerLogicalId())
                        .name(), local.stack().function(pair.calleeLogicalId()).name(), payload);
                local.lambda().asyncQueue().awaitIdle(timeout);
                printFailureDestinations(local);
                System.out.println("==> The checked trace as a page, to open in a browser: "
                        + TracePage.write(local.traces(), result.traceId(), settings.workDirectory().toAbsolutePath()));
                System.out.println("==> " + result.verdict() + ": " + result.explanation());
                if (result.verdict() != hop.expected()) {
                    System.out.println("==> AWS shows the " + hop.parameterValue() + " hop as " + hop.expected()
                            + " when both functions are instrumented and Active; this run shows " + result.verdict()
                            + ".");
                }
                return result.verdict() == hop.expected() ? 0 : 1;
            }
        }

        private static void printFailureDestinations(LocalCloud local) {
            for (FunctionDefinition function : local.stack().functions()) {
                String queue = function.asyncConfig().onFailureQueue();
                List<ObjectNode> records = queue == null ? List.of() : local.failureDestinations().records(queue);
                if (!records.isEmpty()) {
                    // The run's own port closes with it; serve answers on its default port from the same work folder.
                    URI served = URI.create("http://localhost:" + Serve.DEFAULT_PORT);
                    String url = served.resolve(URI.create(local.failureDestinations().queueUrl(queue).orElseThrow())
                            .getPath()).toString();
                    System.out.println("==> " + queue + " holds " + records.size() + " failed event(s), kept in the"
                            + " work folder; with serve running on it, receive them with:");
                    System.out.println("    " + receiveCommand(served, url));
                    for (ObjectNode record : records) {
                        System.out.println("    " + record.path("requestContext") + " " + record.path("responsePayload"));
                    }
                }
            }
        }
    }

    /** Many invocations at once, then the account of what arrived; exit 0 only when nothing was lost. */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Send many invocations of the caller at once and count what reached X-Ray.")
    static final class Load implements Callable<Integer> {

        static final Path WORK_DIRECTORY = Path.of("target/local-cloud-load");

        @Mixin
        CloudOptions cloud;

        @Mixin
        FunctionPairOptions functions;

        @Option(names = "--count", defaultValue = "500", description = "Invocations to send (default: ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--in-flight", description = "Invocations in flight at once (default: all of them)")
        Integer inFlight;

        @Option(names = "--documents-per-pair", defaultValue = "" + LoadRun.XRAY_SDK_DOCUMENTS_PER_PAIR,
                description = "Segment documents and spans the caller and callee send per linked pair: 3 with the"
                        + " X-Ray SDK, 5 with OpenTelemetry (a span per handler and per call) (default: ${DEFAULT-VALUE})")
        int documentsPerPair;

        @Mixin
        EventOption event;

        @Option(names = "--timeout", defaultValue = "PT5M", description = "Longest wait for the async events and"
                + " segments after the last answer (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            byte[] payload = event.read();
            LocalCloud.Settings settings = cloud.settings(0, WORK_DIRECTORY);
            // Function output of hundreds of invocations would drown the report; the lines are still kept.
            try (LocalCloud local = LocalCloud.start(settings.withoutPrinting());
                    TraceCheckCommand.Clients clients = TraceCheckCommand.Clients.local(local.endpoint())) {
                System.out.printf("==> %d invocations, %d in flight, at most %d environments per function%n", count,
                        inFlight == null ? count : inFlight, settings.maximumEnvironments());
                LoadRun.Report report = new LoadRun(local, functions.pair(), documentsPerPair, clients.lambda(), System.out)
                        .run(count, inFlight == null ? count : inFlight, payload, timeout);
                report.print(System.out);
                return report.nothingLost() ? 0 : 1;
            }
        }
    }

    /** Cold starts, warm calls, memory and package size of every way to run the pair, side by side. */
    @Command(name = "benchmark", mixinStandardHelpOptions = true,
            description = "Measure init, first and warm invoke durations, memory and package size from REPORT lines,"
                    + " interleaved in one run: bare, naive, the caller without tracing, both flavors of the caller"
                    + " and callee, the OpenTelemetry Java agent on the caller, and the candidates: both flavors with"
                    + " the other HTTP client, and the callee's JSON work alone with each JSON library.")
    static final class Benchmark implements Callable<Integer> {

        @Option(names = "--template", defaultValue = "template.yaml",
                description = "The X-Ray SDK flavor's template (default: ${DEFAULT-VALUE})")
        Path template;

        @Option(names = "--otel-template", defaultValue = "otel/template.yaml",
                description = "The OpenTelemetry flavor's template (default: ${DEFAULT-VALUE})")
        Path otelTemplate;

        @Option(names = "--agent", defaultValue = "local-cloud/target/benchmark/opentelemetry-javaagent.jar",
                description = "The OpenTelemetry Java agent, which the build copies there (default: ${DEFAULT-VALUE})")
        Path agent;

        @Option(names = "--other-http-client", defaultValue = "local-cloud/target/benchmark/http-client",
                description = "The jars of the HTTP client the functions do not package, which the build copies"
                        + " there (default: ${DEFAULT-VALUE})")
        Path otherHttpClient;

        @Mixin
        FunctionPairOptions functions;

        @Mixin
        EventOption event;

        @Option(names = "--callee-event", defaultValue = "events/triggered-event.json",
                description = "Event for the callee (default: ${DEFAULT-VALUE})")
        Path calleeEvent;

        @Option(names = "--cold-starts", defaultValue = "15", description = "Cold starts per variant (default: ${DEFAULT-VALUE})")
        int coldStarts;

        @Option(names = "--warm-calls", defaultValue = "100", description = "Warm calls per variant (default: ${DEFAULT-VALUE})")
        int warmCalls;

        @Option(names = "--work-dir", defaultValue = "target/benchmark", description = "Work folder (default: ${DEFAULT-VALUE})")
        Path workDirectory;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(agent)) {
                throw new IllegalArgumentException("No OpenTelemetry Java agent at " + agent + ": build first with"
                        + " ./mvnw package, which copies it there, or pass --agent.");
            }
            if (!Files.isDirectory(otherHttpClient)) {
                throw new IllegalArgumentException("No folder of HTTP client jars at " + otherHttpClient + ": build"
                        + " first with ./mvnw package, which copies aws-crt-client there, or pass --other-http-client.");
            }
            ColdStartBenchmark.Setup setup = new ColdStartBenchmark.Setup(ProjectRoot.locate(), template, otelTemplate,
                    functions.pair(), event.read(), OptionFile.read(calleeEvent, "--callee-event", "a JSON event for the callee"
                    + " such as events/triggered-event.json"), agent, otherHttpClient);
            new ColdStartBenchmark(setup, workDirectory.toAbsolutePath(), System.out).run(coldStarts, warmCalls);
            return 0;
        }
    }

    /** How fast the store's reads stay when it holds many segments and log events. */
    @Command(name = "read-benchmark", mixinStandardHelpOptions = true,
            description = "Fill a new store with segments and log events, then time GetTraceSummaries,"
                    + " BatchGetTraces and FilterLogEvents over HTTP as the SAM CLI makes them.")
    static final class ReadBenchmark implements Callable<Integer> {

        @Option(names = "--segments", defaultValue = "100000", description = "Segment documents to store"
                + " (default: ${DEFAULT-VALUE})")
        int segments;

        @Option(names = "--log-events", defaultValue = "100000", description = "Log events to store in one stream"
                + " (default: ${DEFAULT-VALUE})")
        int logEvents;

        @Option(names = "--repetitions", defaultValue = "20", description = "Timed calls of each read"
                + " (default: ${DEFAULT-VALUE})")
        int repetitions;

        @Option(names = "--work-dir", defaultValue = "target/read-benchmark", description = "A new folder for the"
                + " store; an existing one is refused (default: ${DEFAULT-VALUE})")
        Path workDirectory;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(workDirectory)) {
                throw new IllegalArgumentException("The work folder " + workDirectory + " exists already: the"
                        + " benchmark fills a new store, so remove it or pass another --work-dir.");
            }
            new StoreReadBenchmark(workDirectory, System.out).run(segments, logEvents, repetitions);
            return 0;
        }
    }

    /**
     * The AWS CLI command that receives a queue's messages. It names the endpoint: the CLI (v1) sends sqs commands to
     * queue.amazonaws.com unless --endpoint-url is on the command line, whatever AWS_ENDPOINT_URL says.
     */
    static String receiveCommand(URI endpoint, String queueUrl) {
        return "aws sqs receive-message --endpoint-url " + endpoint + " --queue-url " + queueUrl
                + " --attribute-names All";
    }

    /** Starts the cloud and keeps it running, printing the endpoints to point AWS clients at. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the local cloud and keep it running until interrupted (Ctrl-C).")
    static final class Serve implements Callable<Integer> {

        /** LocalStack's edge port: AWS_ENDPOINT_URL=http://localhost:4566 is what its users already type. */
        static final int DEFAULT_PORT = 4566;

        static final Path WORK_DIRECTORY = Path.of("target/local-cloud");

        @Mixin
        CloudOptions cloud;

        @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "The edge port every API and the"
                + " console answer on (default: ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() throws IOException, InterruptedException {
            System.out.println("==> Starting the local cloud for " + cloud.template + " on port " + port);
            LocalCloud local = LocalCloud.start(cloud.settings(port, WORK_DIRECTORY));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                local.close();
                stopped.countDown();
            }));
            String endpoint = "http://localhost:" + local.endpoint().getPort();
            System.out.println("Local cloud running for " + local.stack() + ". Point any AWS client at it with:");
            System.out.println("  export AWS_ENDPOINT_URL=" + endpoint);
            System.out.println("  export AWS_ACCESS_KEY_ID=" + LocalCloud.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY="
                    + LocalCloud.SECRET_KEY + " AWS_REGION=" + local.stack().region() + " AWS_DEFAULT_REGION="
                    + local.stack().region());
            System.out.println("Lambda, S3, SQS, SNS, EventBridge, X-Ray, CloudWatch Logs and CloudFormation answer"
                    + " there; the trace console: "
                    + endpoint + local.consoleUrl().getPath());
            for (FunctionDefinition function : local.stack().functions()) {
                System.out.println("  " + function.logicalId() + ": " + function.name());
                Optional.ofNullable(function.asyncConfig().onFailureQueue())
                        .flatMap(local.failureDestinations()::queueUrl)
                        .ifPresent(url -> System.out.println("    failed events: "
                                + receiveCommand(local.endpoint(), url)));
            }
            stopped.await();
            return 0;
        }
    }
}
