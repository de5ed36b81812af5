package xrayasync.localcloud.harness.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.lambda.InvocationTarget;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.FunctionPair;

/**
 * Cold and warm starts of every way to run the pair, under the local cloud (which starts JVMs as the java25 runtime
 * does), interleaved round by round to cancel drift, read from Lambda's REPORT lines: bare (no SDK) and naive (the
 * usual sample) as baselines; the caller without tracing; the X-Ray SDK flavor; the OpenTelemetry library flavor; the
 * OpenTelemetry Java agent on the caller without tracing, as AWS's ADOT Lambda layer runs it; and the candidates: both
 * flavors with the other HTTP client, and the callee's JSON work alone with each JSON library.
 */
public final class ColdStartBenchmark {

    /** One function measured: its row in the table, its logical id in the benchmark stack, the event it gets. */
    record Variant(String label, String logicalId, byte[] event) {
    }

    /** Figures of one variant. */
    record Figures(List<Double> init, List<Double> firstInvoke, List<Double> warm, List<Double> memory,
            long packageBytes) {

        /** What a caller waits on a cold start: init plus the first invocation. */
        List<Double> coldStart() {
            List<Double> totals = new ArrayList<>();
            for (int i = 0; i < init.size(); i++) {
                totals.add(init.get(i) + firstInvoke.get(i));
            }
            return totals;
        }
    }

    /**
     * What to measure.
     *
     * @param root the repository, whose benchmark/ folder holds the bare and naive functions
     * @param template the X-Ray SDK flavor's template, which declares the pair as it is deployed
     * @param otelTemplate the OpenTelemetry flavor's template, which declares the same pair
     * @param callerEvent what the callers (and naive, which does the caller's work) are invoked with
     * @param calleeEvent what the callees are invoked with
     * @param agent the OpenTelemetry Java agent's jar
     * @param otherHttpClient the jars of the HTTP client the functions do not package, to run them with instead
     */
    public record Setup(Path root, Path template, Path otelTemplate, FunctionPair pair, byte[] callerEvent,
            byte[] calleeEvent, Path agent, Path otherHttpClient) {
    }

    /** A hop's event for the callee: its sample event and the handler method that takes its type. */
    private record HopEvent(String label, String logicalId, String method, String event) {
    }

    private static final List<HopEvent> HOP_EVENTS = List.of(
            new HopEvent("SQSEvent", "XRayCalleeSqs", "handleQueueMessages", "events/triggered-sqs-event.json"),
            new HopEvent("SNSEvent", "XRayCalleeSns", "handleNotification", "events/triggered-sns-event.json"),
            new HopEvent("ScheduledEvent", "XRayCalleeEventBridge", "handleEvent",
                    "events/triggered-eventbridge-event.json"));

    /** A JSON library candidate: its handler in benchmark/JsonFunction and the jars (by name prefix) it needs. */
    private record JsonLibrary(String label, String logicalId, String handlerClass, List<String> jarPrefixes) {
    }

    private static final String STACK_NAME = "bench";
    // The X-Ray SDK's instrumentor registers itself on every SDK client: without its jar the caller is not traced.
    private static final String INSTRUMENTOR_JAR = "aws-xray-recorder-sdk-aws-sdk-v2-instrumentor";
    // The jars of either synchronous HTTP client; a package carries one of them (see each function's PackagedHttpClient).
    private static final List<String> HTTP_CLIENT_JARS = List.of("software.amazon.awssdk.url-connection-client-",
            "software.amazon.awssdk.aws-crt-client-", "software.amazon.awssdk.crt.aws-crt-");
    private static final String LAMBDA_CORE_JAR = "com.amazonaws.aws-lambda-java-core-";
    private static final List<JsonLibrary> JSON_LIBRARIES = List.of(
            new JsonLibrary("Jackson databind", "JsonDatabind", "JacksonDatabindHandler",
                    List.of("com.fasterxml.jackson.core.")),
            new JsonLibrary("jackson-jr", "JsonJr", "JacksonJrHandler",
                    List.of("com.fasterxml.jackson.jr.", "com.fasterxml.jackson.core.jackson-core-")),
            new JsonLibrary("SDK json-utils", "JsonSdk", "SdkJsonHandler",
                    List.of("software.amazon.awssdk.", "org.slf4j.", "org.reactivestreams.")),
            new JsonLibrary("Lambda serialization", "JsonLambda", "LambdaSerializationHandler",
                    List.of("com.amazonaws.aws-lambda-java-serialization-")));

    private final Setup setup;
    private final Path work;
    private final PrintStream out;

    public ColdStartBenchmark(Setup setup, Path work, PrintStream out) {
        this.setup = setup;
        this.work = work;
        this.out = out;
    }

    public void run(int coldStarts, int warmCalls) throws Exception {
        String caller = setup.pair().callerLogicalId();
        String callee = setup.pair().calleeLogicalId();
        List<Path> otherClientJars = jars(setup.otherHttpClient());
        String otherClient = ", " + httpClientName(otherClientJars);
        Path template = writeTemplate(otherClientJars);
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("bare", "Bare", "{}".getBytes(StandardCharsets.UTF_8)),
                new Variant("naive", "Naive", setup.callerEvent()),
                new Variant(caller + ", no tracing", "Untraced", setup.callerEvent()),
                new Variant(caller + ", X-Ray SDK", "XRayCaller", setup.callerEvent()),
                new Variant(callee + ", X-Ray SDK", "XRayCallee", setup.calleeEvent()),
                new Variant(caller + ", OTel library", "OtelCaller", setup.callerEvent()),
                new Variant(callee + ", OTel library", "OtelCallee", setup.calleeEvent()),
                new Variant(caller + ", OTel agent", "OtelAgent", setup.callerEvent()),
                new Variant(caller + ", X-Ray SDK" + otherClient, "XRayCallerClient", setup.callerEvent()),
                new Variant(callee + ", X-Ray SDK" + otherClient, "XRayCalleeClient", setup.calleeEvent()),
                new Variant(caller + ", OTel library" + otherClient, "OtelCallerClient", setup.callerEvent()),
                new Variant(callee + ", OTel library" + otherClient, "OtelCalleeClient", setup.calleeEvent())));
        // What each hop's event costs the callee: Lambda calls the method's stream overload, which reads the event into
        // aws-lambda-java-events' types with jackson-jr.
        for (HopEvent hop : HOP_EVENTS) {
            variants.add(new Variant(callee + ", X-Ray SDK, " + hop.label(), hop.logicalId(),
                    Files.readAllBytes(setup.root().resolve(hop.event()))));
        }
        JSON_LIBRARIES.forEach(json -> variants.add(new Variant(jsonLabel(json), json.logicalId(),
                setup.calleeEvent())));
        Map<String, Figures> figures = new LinkedHashMap<>();
        variants.forEach(variant -> figures.put(variant.label(), new Figures(new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), 0)));
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(template, Map.of(), STACK_NAME, Map.of(),
                List.of("photos", "invoices", "logs"), work.resolve("cloud"), Duration.ofSeconds(1), 1, 0, null))) {
            for (int round = 1; round <= coldStarts; round++) {
                out.printf("cold start round %d of %d%n", round, coldStarts);
                for (Variant variant : variants) {
                    cloud.lambda().retireEnvironments(cloud.stack().function(variant.logicalId()).name());
                    ReportLine report = invoke(cloud, variant);
                    figures.get(variant.label()).init().add(report.initDurationMillis());
                    figures.get(variant.label()).firstInvoke().add(report.durationMillis());
                }
            }
            out.printf("%d warm calls per variant%n", warmCalls);
            for (int call = 0; call < warmCalls; call++) {
                for (Variant variant : variants) {
                    ReportLine report = invoke(cloud, variant);
                    figures.get(variant.label()).warm().add(report.durationMillis());
                    figures.get(variant.label()).memory().add((double) report.maxMemoryUsedMb());
                }
            }
            for (Variant variant : variants) {
                Figures measured = figures.get(variant.label());
                String function = cloud.stack().function(variant.logicalId()).name();
                figures.put(variant.label(), new Figures(measured.init(), measured.firstInvoke(), measured.warm(),
                        measured.memory(), cloud.lambda().function(function).latest().code().codePackage().size()));
            }
        }
        print(figures, coldStarts, warmCalls);
    }

    private ReportLine invoke(LocalCloud cloud, Variant variant) throws Exception {
        InvocationTarget target = cloud.lambda().resolve(cloud.stack().function(variant.logicalId()).name(), null);
        LambdaService.SyncResult result = cloud.lambda().invoke(target, variant.event(),
                TraceHeader.newSampledTrace(XRayIds.system()));
        if (result.outcome().failed()) {
            throw new IllegalStateException(variant.label() + " failed: " + result.outcome().payloadText());
        }
        // The variants that invoke the sink asynchronously must not have it running during the next measurement.
        cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1));
        return ReportLine.find(cloud.log().lines(target.function().name()), result.requestId());
    }

    /**
     * The benchmark stack: every variant with the settings its template deploys the pair with, the same memory for
     * bare, naive and the JSON candidates, and a bare sink that the invoking variants call asynchronously (the
     * caller's variables that named the callee name the sink instead).
     */
    private Path writeTemplate(List<Path> otherClientJars) throws IOException {
        StackDefinition xray = resolve(setup.template());
        StackDefinition otel = resolve(setup.otelTemplate());
        FunctionDefinition caller = xray.function(setup.pair().callerLogicalId());
        FunctionDefinition callee = xray.function(setup.pair().calleeLogicalId());
        FunctionDefinition otelCaller = otel.function(setup.pair().callerLogicalId());
        FunctionDefinition otelCallee = otel.function(setup.pair().calleeLogicalId());
        Path benchmarks = setup.root().resolve("benchmark");
        Path untraced = copyOf(caller.codeDirectory(), "untraced", jar -> !jar.contains(INSTRUMENTOR_JAR), List.of());
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("Bare", function(benchmarks.resolve("BareFunction"), "xrayasync.bench.bare.BareHandler", caller,
                Map.of()));
        resources.put("Naive", function(benchmarks.resolve("NaiveFunction"), "xrayasync.bench.naive.NaiveHandler",
                caller, Map.of("TRIGGERED_FUNCTION_NAME", Map.of("Ref", "Sink"))));
        resources.put("Untraced", function(untraced, handlerClass(caller), caller, toSink(caller, xray)));
        resources.put("XRayCaller", function(caller.codeDirectory(), handlerClass(caller), caller, toSink(caller, xray)));
        resources.put("XRayCallee", function(callee.codeDirectory(), handlerClass(callee), callee, callee.environment()));
        for (HopEvent hop : HOP_EVENTS) {
            resources.put(hop.logicalId(), function(callee.codeDirectory(), handlerClass(callee), hop.method(), callee,
                    callee.environment()));
        }
        resources.put("OtelCaller", function(otelCaller.codeDirectory(), handlerClass(otelCaller), otelCaller,
                toSink(otelCaller, otel)));
        resources.put("OtelCallee", function(otelCallee.codeDirectory(), handlerClass(otelCallee), otelCallee,
                otelCallee.environment()));
        Map<String, Object> agentVariables = new LinkedHashMap<>(toSink(caller, xray));
        agentVariables.putAll(agentSettings(caller));
        resources.put("OtelAgent", function(untraced, handlerClass(caller), caller, agentVariables));
        resources.put("XRayCallerClient", function(withOtherHttpClient(caller, "xray", otherClientJars),
                handlerClass(caller), caller, toSink(caller, xray)));
        resources.put("XRayCalleeClient", function(withOtherHttpClient(callee, "xray", otherClientJars),
                handlerClass(callee), callee, callee.environment()));
        resources.put("OtelCallerClient", function(withOtherHttpClient(otelCaller, "otel", otherClientJars),
                handlerClass(otelCaller), otelCaller, toSink(otelCaller, otel)));
        resources.put("OtelCalleeClient", function(withOtherHttpClient(otelCallee, "otel", otherClientJars),
                handlerClass(otelCallee), otelCallee, otelCallee.environment()));
        Path jsonFunction = benchmarks.resolve("JsonFunction");
        for (JsonLibrary json : JSON_LIBRARIES) {
            Path code = copyOf(jsonFunction, json.logicalId(), jar -> jar.startsWith(LAMBDA_CORE_JAR)
                    || json.jarPrefixes().stream().anyMatch(jar::startsWith), List.of());
            resources.put(json.logicalId(), function(code, "xrayasync.bench.json." + json.handlerClass(), caller,
                    Map.of()));
        }
        resources.put("Sink", function(benchmarks.resolve("BareFunction"), "xrayasync.bench.bare.BareHandler", caller,
                Map.of()));
        Files.createDirectories(work);
        Path template = work.resolve("benchmark-template.yaml");
        Files.writeString(template, new Yaml().dump(Map.of("Transform", "AWS::Serverless-2016-10-31",
                "Resources", resources)));
        return template;
    }

    private static StackDefinition resolve(Path template) throws IOException {
        return StackDefinition.resolve(SamTemplate.load(template), template.toAbsolutePath().getParent(), STACK_NAME,
                LocalCloud.Settings.REGION, LocalCloud.Settings.ACCOUNT, Map.of());
    }

    /** The caller's variables, with those that named the callee naming the sink. */
    private Map<String, Object> toSink(FunctionDefinition caller, StackDefinition stack) {
        String callee = stack.function(setup.pair().calleeLogicalId()).name();
        Map<String, Object> variables = new LinkedHashMap<>(caller.environment());
        caller.environment().forEach((variable, value) -> {
            if (value.contains(callee)) {
                variables.put(variable, Map.of("Ref", "Sink"));
            }
        });
        return variables;
    }

    /**
     * The agent as the ADOT Lambda layer starts it: through JAVA_TOOL_OPTIONS, the Lambda and AWS SDK
     * instrumentations on, the X-Ray propagator. What differs from the real layer: the upstream agent (the ADOT one
     * does not resolve from this project's Maven Central) has no exporter to the X-Ray daemon, so spans are made and
     * not exported; the layer's wrapper script and its collector extension are not run.
     */
    private Map<String, Object> agentSettings(FunctionDefinition function) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("JAVA_TOOL_OPTIONS", "-javaagent:" + setup.agent().toAbsolutePath());
        variables.put("OTEL_SERVICE_NAME", function.name());
        variables.put("OTEL_PROPAGATORS", "tracecontext,baggage,xray");
        variables.put("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false");
        variables.put("OTEL_INSTRUMENTATION_AWS_LAMBDA_CORE_ENABLED", "true");
        variables.put("OTEL_INSTRUMENTATION_AWS_SDK_ENABLED", "true");
        variables.put("OTEL_TRACES_EXPORTER", "none");
        variables.put("OTEL_METRICS_EXPORTER", "none");
        variables.put("OTEL_LOGS_EXPORTER", "none");
        return variables;
    }

    /** A copy of the function's build that carries the other HTTP client's jars instead of its own client's. */
    private Path withOtherHttpClient(FunctionDefinition function, String flavor, List<Path> clientJars)
            throws IOException {
        return copyOf(function.codeDirectory(), flavor + "-" + function.logicalId() + "-http-client",
                jar -> HTTP_CLIENT_JARS.stream().noneMatch(jar::startsWith), clientJars);
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The HTTP client the given jars make, as the table names it. */
    static String httpClientName(List<Path> jars) {
        List<String> names = jars.stream().map(file -> file.getFileName().toString()).toList();
        if (names.stream().anyMatch(name -> name.startsWith(HTTP_CLIENT_JARS.get(1)))) {
            return "CRT client";
        }
        if (names.stream().anyMatch(name -> name.startsWith(HTTP_CLIENT_JARS.getFirst()))) {
            return "URL-connection client";
        }
        throw new IllegalArgumentException("No HTTP client jar (aws-crt-client or url-connection-client) in " + jars
                + ": build first with ./mvnw package, which copies the one the functions do not carry there.");
    }

    private static String jsonLabel(JsonLibrary json) {
        return "JSON alone, " + json.label();
    }

    /**
     * A copy of a function's build (the sam build layout: classes and runtime jars) with only the jars keepJar accepts,
     * plus extra jars.
     */
    private Path copyOf(Path code, String name, Predicate<String> keepJar, List<Path> extraJars) throws IOException {
        Path copy = work.resolve("variants").resolve(name);
        if (Files.exists(copy)) {
            try (Stream<Path> old = Files.walk(copy)) {
                for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        for (String folder : List.of("target/classes", "target/dependency")) {
            Path source = code.resolve(folder);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(path -> !path.toString().endsWith(".jar")
                        || keepJar.test(path.getFileName().toString())).toList()) {
                    Path target = copy.resolve(folder).resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
        for (Path jar : extraJars) {
            Files.copy(jar, copy.resolve("target/dependency").resolve(jar.getFileName()));
        }
        return copy;
    }

    private static String handlerClass(FunctionDefinition function) {
        return function.handler().substring(0, function.handler().indexOf("::"));
    }

    private static Map<String, Object> function(Path code, String handlerClass, FunctionDefinition settings,
            Map<String, ?> variables) {
        return function(code, handlerClass, "handleRequest", settings, variables);
    }

    /** @param method the handler method: handleRequest, or the one that takes a hop's event type */
    private static Map<String, Object> function(Path code, String handlerClass, String method,
            FunctionDefinition settings, Map<String, ?> variables) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("CodeUri", code.toString());
        properties.put("Handler", handlerClass + "::" + method);
        properties.put("Runtime", settings.runtime());
        properties.put("MemorySize", settings.memoryMb());
        properties.put("Timeout", settings.timeoutSeconds());
        properties.put("Tracing", "Active");
        properties.put("Environment", Map.of("Variables", variables));
        return Map.of("Type", SamTemplate.FUNCTION_TYPE, "Properties", properties);
    }

    private void print(Map<String, Figures> figures, int coldStarts, int warmCalls) {
        Runtime runtime = Runtime.getRuntime();
        out.printf(Locale.ROOT, "%nMachine: %d processors, %d GiB memory, Java %s (%s), %s %s; %d cold starts and %d"
                        + " warm calls per variant, interleaved%n%n", runtime.availableProcessors(), totalMemoryGib(),
                System.getProperty("java.version"), System.getProperty("java.vm.vendor"), System.getProperty("os.name"),
                System.getProperty("os.arch"), coldStarts, warmCalls);
        out.printf(Locale.ROOT, "%-52s%-20s%-20s%-20s%-20s%-16s%s%n", "min / median / max", "init (ms)",
                "first invoke (ms)", "cold start (ms)", "warm invoke (ms)", "memory (MB)", "package (MiB)");
        figures.forEach((label, measured) -> out.printf(Locale.ROOT, "%-52s%-20s%-20s%-20s%-20s%-16s%.2f%n", label,
                spread(measured.init(), "%.0f"), spread(measured.firstInvoke(), "%.0f"),
                spread(measured.coldStart(), "%.0f"), spread(measured.warm(), "%.1f"),
                spread(measured.memory(), "%.0f"), measured.packageBytes() / 1048576.0));
        out.println();
        printRatios(figures);
    }

    private void printRatios(Map<String, Figures> figures) {
        String caller = setup.pair().callerLogicalId();
        String callee = setup.pair().calleeLogicalId();
        Function<String, Double> coldStart = label -> median(figures.get(label).coldStart());
        double naive = coldStart.apply("naive");
        for (String function : List.of(caller, callee)) {
            out.printf(Locale.ROOT, "%s, X-Ray SDK: cold start %.2fx naive (goal <= 0.55)%n", function,
                    coldStart.apply(function + ", X-Ray SDK") / naive);
            out.printf(Locale.ROOT, "%s, OTel library: cold start %.2fx the X-Ray SDK flavor (goal <= 1.0)%n", function,
                    coldStart.apply(function + ", OTel library") / coldStart.apply(function + ", X-Ray SDK"));
        }
        out.printf(Locale.ROOT, "%s, OTel library: cold start %.2fx the OTel agent on the same function (goal <= 0.35)%n",
                caller, coldStart.apply(caller + ", OTel library") / coldStart.apply(caller + ", OTel agent"));
        double untraced = coldStart.apply(caller + ", no tracing");
        out.printf(Locale.ROOT, "%s, cost of tracing over no tracing (cold start): X-Ray SDK %+.0f ms, OTel library"
                        + " %+.0f ms (goal <= +50 ms each), OTel agent %+.0f ms%n", caller,
                coldStart.apply(caller + ", X-Ray SDK") - untraced, coldStart.apply(caller + ", OTel library") - untraced,
                coldStart.apply(caller + ", OTel agent") - untraced);
        figures.forEach((label, measured) -> {
            if (label.endsWith("X-Ray SDK") || label.endsWith("OTel library")) {
                out.printf(Locale.ROOT, "%s: max memory used %.0f MB (goal <= 90)%n", label, maxMemory(measured));
            }
        });
        figures.forEach((label, measured) -> {
            int client = label.lastIndexOf(", ");
            Figures packaged = figures.get(label.substring(0, Math.max(client, 0)));
            if (label.endsWith(" client") && packaged != null) {
                out.printf(Locale.ROOT, "%s: cold start %.2fx, max memory %+.0f MB, package %+.2f MiB against the"
                                + " packaged client%n", label, median(measured.coldStart()) / median(packaged.coldStart()),
                        maxMemory(measured) - maxMemory(packaged),
                        (measured.packageBytes() - packaged.packageBytes()) / 1048576.0);
            }
        });
        double streamed = coldStart.apply(callee + ", X-Ray SDK");
        for (HopEvent hop : HOP_EVENTS) {
            out.printf(Locale.ROOT, "%s, %s as Lambda delivers it (the stream overload, read by HopEvents): cold start"
                    + " %+.0f ms over handleRequest (goal <= +50 ms)%n", callee, hop.label(),
                    coldStart.apply(callee + ", X-Ray SDK, " + hop.label()) - streamed);
        }
        double bare = coldStart.apply("bare");
        JSON_LIBRARIES.forEach(json -> {
            Figures measured = figures.get(jsonLabel(json));
            out.printf(Locale.ROOT, "%s: cold start %+.0f ms and max memory %+.0f MB over bare, package %.2f MiB%n",
                    jsonLabel(json), median(measured.coldStart()) - bare, maxMemory(measured) - maxMemory(
                            figures.get("bare")), measured.packageBytes() / 1048576.0);
        });
    }

    private static double maxMemory(Figures measured) {
        return measured.memory().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static String spread(List<Double> values, String format) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(Locale.ROOT, format + " / " + format + " / " + format, sorted.getFirst(), median(sorted),
                sorted.getLast());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long totalMemoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
                }
            }
        } catch (IOException unreadable) {
            return 0;
        }
        return 0;
    }
}
