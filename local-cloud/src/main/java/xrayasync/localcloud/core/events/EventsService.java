package xrayasync.localcloud.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * EventBridge's event buses and rules, kept in the store (custom buses as {@value #BUSES} records by name, rules as
 * {@value #RULES} records scoped by their bus), and PutEvents: each entry becomes an event in EventBridge's delivered
 * shape, and every enabled rule of its bus whose pattern matches hands it to its Lambda targets through Lambda's
 * asynchronous Invoke (queued, retried, sent to the function's OnFailure destination), as EventBridge invokes Lambda
 * targets (EventBridge user guide, "Event bus targets in Amazon EventBridge", eb-targets: "Lambda function
 * (asynchronous)").
 *
 * <p>The trace, as the EventBridge user guide's "Amazon EventBridge integration with AWS X-Ray" (eb-xray-integ) and
 * the X-Ray developer guide's "Amazon EventBridge and AWS X-Ray" (xray-services-eventbridge) describe it: EventBridge
 * passes a trace header on to the target only when the PutEvents request carried one, in its {@code X-Amzn-Trace-Id}
 * HTTP header or in an entry's {@code TraceHeader}, and the entry's wins ("PutEventsRequestEntry overrides the HTTP
 * trace header"); a header that is not valid is dropped and the event still goes out; the header is never in the
 * delivered event. Neither page describes a segment EventBridge writes: the X-Ray guide's trace map shows an
 * EventBridge node between source and targets, which X-Ray infers from the sender's PutEvents subsegment (as it
 * infers any AWS service a client calls), so EventBridge here writes no segment of its own.
 */
public final class EventsService {

    /** The service principal EventBridge invokes Lambda targets as. */
    public static final String PRINCIPAL = "events.amazonaws.com";

    static final String BUSES = "events-bus";
    static final String RULES = "events-rule";

    /** The bus every account has, which PutEvents and the rule operations use when no bus is named. */
    public static final String DEFAULT_BUS = "default";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern RULE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
    private static final Pattern TARGET_ID = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
    private static final Pattern TRACE_ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    // Up to five targets per rule (eb-targets); 1 to 10 entries per PutEvents request (API reference, PutEvents).
    static final int TARGETS_PER_RULE = 5;
    static final int ENTRIES_PER_REQUEST = 10;

    /** A custom bus as kept; the default bus is not kept, it always exists. */
    public record Bus(String name, String description, Instant created, Instant lastModified) {
    }

    /** A rule's target: its id in the rule, and the Lambda function or alias it invokes. */
    public record Target(String id, String arn) {
    }

    /** A rule as kept: its bus, its pattern's text, ENABLED or DISABLED, and its targets in the order put. */
    public record Rule(String name, String bus, String eventPattern, String state, String description,
            List<Target> targets) {

        public Rule {
            targets = List.copyOf(targets);
        }

        boolean enabled() {
            return !"DISABLED".equals(state);
        }

        private Rule withTargets(List<Target> changed) {
            return new Rule(name, bus, eventPattern, state, description, changed);
        }

        private Rule withState(String changed) {
            return new Rule(name, bus, eventPattern, changed, description, targets);
        }
    }

    /**
     * One PutEvents entry.
     *
     * @param time the event's time, or null for now
     * @param traceHeader the entry's TraceHeader, or null
     */
    public record Entry(String source, String detailType, String detail, String eventBusName, List<String> resources,
            Instant time, String traceHeader) {
    }

    /** What became of one entry: its event id, or EventBridge's error code and message for it. */
    public record Outcome(String eventId, String errorCode, String errorMessage) {

        static Outcome failed(String code, String message) {
            return new Outcome(null, code, message);
        }
    }

    private final Store store;
    private final Records buses;
    private final Records rules;
    private final LambdaService lambda;
    private final Clock clock;
    private final String region;
    private final String account;
    private final Consumer<String> undelivered;

    /** @param undelivered told, in a sentence, of each target an event could not be handed to */
    public EventsService(Store store, LambdaService lambda, Clock clock, String region, String account,
            Consumer<String> undelivered) {
        this.store = store;
        this.buses = store.records(BUSES);
        this.rules = store.records(RULES);
        this.lambda = lambda;
        this.clock = clock;
        this.region = region;
        this.account = account;
        this.undelivered = undelivered;
    }

    public String account() {
        return account;
    }

    public String busArn(String bus) {
        return "arn:aws:events:" + region + ":" + account + ":event-bus/" + bus;
    }

    /** A rule's ARN: {@code rule/<name>} on the default bus, {@code rule/<bus>/<name>} on a custom one. */
    public String ruleArn(String bus, String rule) {
        return "arn:aws:events:" + region + ":" + account + ":rule/" + (bus.equals(DEFAULT_BUS) ? "" : bus + "/")
                + rule;
    }

    /** The bus an EventBusName parameter names (a name or a bus ARN; the default bus when absent). */
    public String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return DEFAULT_BUS;
        }
        String prefix = "arn:aws:events:";
        if (nameOrArn.startsWith(prefix)) {
            String own = busArn("");
            if (!nameOrArn.startsWith(own)) {
                throw EventsError.RESOURCE_NOT_FOUND.with("Event bus " + nameOrArn + " is not of this account and"
                        + " region (" + account + ", " + region + "): name a bus of the local cloud.");
            }
            return nameOrArn.substring(own.length());
        }
        return nameOrArn;
    }

    /** Creates a custom bus. */
    public Bus createBus(String name, String description) {
        if (name == null || !BUS_NAME.matcher(name).matches() || name.startsWith("aws.")) {
            throw EventsError.VALIDATION.with("Event bus name '" + name + "' is not valid: use 1 to 256 letters,"
                    + " digits and . - _ /, not starting with aws.");
        }
        if (name.equals(DEFAULT_BUS)) {
            throw EventsError.RESOURCE_ALREADY_EXISTS.with("Event bus default already exists: every account has it;"
                    + " choose another name.");
        }
        return store.transaction(() -> {
            if (buses.get(name, Bus.class).isPresent()) {
                throw EventsError.RESOURCE_ALREADY_EXISTS.with("Event bus " + name + " already exists: choose another"
                        + " name, or use the bus there is.");
            }
            Instant now = clock.instant();
            Bus bus = new Bus(name, description, now, now);
            buses.put(name, bus);
            return bus;
        });
    }

    /** Makes a custom bus exist with the description given (CloudFormation's create or update of a declared bus). */
    public Bus declareBus(String name, String description) {
        return store.transaction(() -> {
            Optional<Bus> existing = buses.get(name, Bus.class);
            if (existing.isEmpty()) {
                return createBus(name, description);
            }
            Bus bus = new Bus(name, description, existing.get().created(), clock.instant());
            buses.put(name, bus);
            return bus;
        });
    }

    /** A bus by name; the default bus is always there. */
    public Bus bus(String name) {
        if (name.equals(DEFAULT_BUS)) {
            return new Bus(DEFAULT_BUS, null, null, null);
        }
        return buses.get(name, Bus.class).orElseThrow(() -> EventsError.RESOURCE_NOT_FOUND.with("Event bus " + name
                + " does not exist: create it with CreateEventBus, or name one ListEventBuses lists."));
    }

    public boolean busExists(String name) {
        return name.equals(DEFAULT_BUS) || buses.get(name, Bus.class).isPresent();
    }

    /** The default bus and the custom ones, in name order, those with the prefix only when one is given. */
    public List<Bus> buses(String prefix) {
        List<Bus> all = new ArrayList<>();
        all.add(bus(DEFAULT_BUS));
        buses.all(Bus.class).forEach(entry -> all.add(entry.value()));
        return all.stream().filter(bus -> prefix == null || bus.name().startsWith(prefix))
                .sorted((left, right) -> left.name().compareTo(right.name())).toList();
    }

    /**
     * Deletes a custom bus and its rules (the bus's rules cannot outlive it); one that is not there is no error, as
     * DeleteEventBus answers for a bus already gone.
     */
    public void deleteBus(String name) {
        if (name.equals(DEFAULT_BUS)) {
            throw EventsError.VALIDATION.with("Cannot delete event bus default: every account keeps it; delete"
                    + " custom buses only.");
        }
        store.transaction(() -> {
            buses.delete(name);
            return rules.deleteScope(name);
        });
    }

    /**
     * Creates a rule, or replaces its pattern, state and description with those given, keeping its targets: as the
     * API reference's PutRule says, "Rules are enabled by default" and "If you omit arguments in PutRule, the old
     * values for those arguments are not kept".
     *
     * @param state ENABLED, DISABLED, or null for ENABLED
     */
    public Rule putRule(String name, String busName, String eventPattern, String state, String description) {
        if (name == null || !RULE_NAME.matcher(name).matches()) {
            throw EventsError.VALIDATION.with("Rule name '" + name + "' is not valid: use 1 to 64 letters, digits"
                    + " and . - _.");
        }
        if (state != null && !state.equals("ENABLED") && !state.equals("DISABLED")) {
            throw EventsError.VALIDATION.with("State '" + state + "' is not valid: give ENABLED or DISABLED.");
        }
        String pattern = EventPattern.parse(eventPattern).text();
        return store.transaction(() -> {
            bus(busName);
            Optional<Rule> existing = rules.get(ruleKey(busName, name), Rule.class);
            Rule rule = new Rule(name, busName, pattern, state != null ? state : "ENABLED", description,
                    existing.map(Rule::targets).orElse(List.of()));
            rules.put(ruleKey(busName, name), busName, 0, rule);
            return rule;
        });
    }

    public Rule rule(String busName, String name) {
        bus(busName);
        return rules.get(ruleKey(busName, name), Rule.class).orElseThrow(() -> EventsError.RESOURCE_NOT_FOUND.with(
                "Rule " + name + " does not exist on EventBus " + busName + ": put it with PutRule, or name one"
                        + " ListRules lists."));
    }

    public boolean ruleExists(String busName, String name) {
        return rules.get(ruleKey(busName, name), Rule.class).isPresent();
    }

    /** A bus's rules in name order, those with the prefix only when one is given. */
    public List<Rule> rules(String busName, String prefix) {
        bus(busName);
        return rules.inScope(busName, Rule.class).stream().map(Records.Entry::value)
                .filter(rule -> prefix == null || rule.name().startsWith(prefix))
                .sorted((left, right) -> left.name().compareTo(right.name())).toList();
    }

    /** Sets a rule's state, ENABLED or DISABLED. */
    public void setState(String busName, String name, String state) {
        store.transaction(() -> {
            rules.put(ruleKey(busName, name), busName, 0, rule(busName, name).withState(state));
            return null;
        });
    }

    /** Deletes a rule; as EventBridge does, one that still has targets is refused unless forced. */
    public void deleteRule(String busName, String name, boolean force) {
        store.transaction(() -> {
            bus(busName);
            Optional<Rule> rule = rules.get(ruleKey(busName, name), Rule.class);
            if (rule.isPresent() && !rule.get().targets().isEmpty() && !force) {
                throw EventsError.VALIDATION.with("Rule " + name + " can't be deleted since it has targets: remove"
                        + " them with RemoveTargets first.");
            }
            return rules.delete(ruleKey(busName, name));
        });
    }

    /**
     * Adds targets to a rule, or replaces those with the same ids. Only Lambda functions and aliases are targets
     * here: any other ARN is refused, as is a target that reshapes the event (Input, InputPath, InputTransformer),
     * rather than delivering something EventBridge would not.
     */
    public Rule putTargets(String busName, String ruleName, List<Target> targets) {
        for (Target target : targets) {
            if (target.id() == null || !TARGET_ID.matcher(target.id()).matches()) {
                throw EventsError.VALIDATION.with("Target id '" + target.id() + "' is not valid: use 1 to 64"
                        + " letters, digits and . - _.");
            }
            lambdaArn(target.arn());
        }
        return store.transaction(() -> {
            Rule rule = rule(busName, ruleName);
            Map<String, Target> byId = new LinkedHashMap<>();
            rule.targets().forEach(target -> byId.put(target.id(), target));
            targets.forEach(target -> byId.put(target.id(), target));
            if (byId.size() > TARGETS_PER_RULE) {
                throw EventsError.LIMIT_EXCEEDED.with("The requested resource exceeds the maximum number allowed: a"
                        + " rule has at most " + TARGETS_PER_RULE + " targets; fan out through another rule.");
            }
            Rule changed = rule.withTargets(List.copyOf(byId.values()));
            rules.put(ruleKey(busName, ruleName), busName, 0, changed);
            return changed;
        });
    }

    /** Removes targets from a rule by id; ids it does not have are no error, as RemoveTargets answers them. */
    public Rule removeTargets(String busName, String ruleName, List<String> ids) {
        return store.transaction(() -> {
            Rule rule = rule(busName, ruleName);
            Rule changed = rule.withTargets(rule.targets().stream().filter(target -> !ids.contains(target.id()))
                    .toList());
            rules.put(ruleKey(busName, ruleName), busName, 0, changed);
            return changed;
        });
    }

    /** The function ARN a target names, or a sentence saying the local cloud delivers to Lambda only. */
    private static FunctionArn lambdaArn(String arn) {
        if (arn == null || !arn.startsWith("arn:aws:lambda:")) {
            throw EventsError.VALIDATION.with("Target ARN '" + arn + "' is not a Lambda function: the local cloud's"
                    + " EventBridge delivers to Lambda functions and aliases only; give"
                    + " arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS].");
        }
        try {
            return FunctionArn.parse(arn);
        } catch (IllegalArgumentException malformed) {
            throw EventsError.VALIDATION.with("Target ARN '" + arn + "' is not valid: give"
                    + " arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS].");
        }
    }

    /**
     * PutEvents: each entry checked on its own (a failed entry does not stop the others), matched against its bus's
     * enabled rules, and handed to their targets.
     *
     * @param httpTraceHeader the request's X-Amzn-Trace-Id, or null
     */
    public List<Outcome> putEvents(List<Entry> entries, String httpTraceHeader) {
        if (entries.isEmpty() || entries.size() > ENTRIES_PER_REQUEST) {
            throw EventsError.VALIDATION.with("PutEvents takes 1 to " + ENTRIES_PER_REQUEST + " entries, not "
                    + entries.size() + ": split them over several requests.");
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Entry entry : entries) {
            outcomes.add(put(entry, httpTraceHeader));
        }
        return outcomes;
    }

    private Outcome put(Entry entry, String httpTraceHeader) {
        // The codes and messages of real answers: InvalidArgument for a missing member, MalformedDetail for a Detail
        // that is not a JSON object (the codes PutEventsResultEntry's ErrorCode carries in AWS's answers).
        for (Map.Entry<String, String> required : List.of(Map.entry("Source", nullToEmpty(entry.source())),
                Map.entry("DetailType", nullToEmpty(entry.detailType())),
                Map.entry("Detail", nullToEmpty(entry.detail())))) {
            if (required.getValue().isBlank()) {
                return Outcome.failed("InvalidArgument", "Parameter " + required.getKey() + " is not valid. Reason: "
                        + required.getKey() + " is a required argument.");
            }
        }
        JsonNode detail;
        try {
            detail = JSON.readTree(entry.detail());
        } catch (IOException malformed) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            return Outcome.failed("MalformedDetail", "Detail is malformed: give a JSON object.");
        }
        String busName;
        try {
            busName = busName(entry.eventBusName());
            bus(busName);
        } catch (ServiceException missing) {
            return Outcome.failed(missing.errorCode(), missing.getMessage());
        }
        String eventId = UUID.randomUUID().toString();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", eventId);
        event.put("detail-type", entry.detailType());
        event.put("source", entry.source());
        event.put("account", account);
        event.put("time", (entry.time() != null ? entry.time() : clock.instant()).truncatedTo(ChronoUnit.SECONDS)
                .toString());
        event.put("region", region);
        event.putArray("resources").addAll(entry.resources() == null ? List.of()
                : entry.resources().stream().map(JSON.getNodeFactory()::textNode).toList());
        event.set("detail", detail);
        deliver(busName, event, traceHeader(entry.traceHeader(), httpTraceHeader));
        return new Outcome(eventId, null, null);
    }

    /**
     * The header the targets' invocations carry: the entry's, else the request's; a header X-Ray would not accept (no
     * Root of the form 1-8 hex-24 hex) is dropped as if it were not given. With neither, none.
     */
    static TraceHeader traceHeader(String entryHeader, String httpHeader) {
        for (String candidate : new String[] {entryHeader, httpHeader}) {
            if (candidate != null && !candidate.isBlank()) {
                TraceHeader header = TraceHeader.parse(candidate);
                if (header.root() != null && TRACE_ROOT.matcher(header.root()).matches()) {
                    return header;
                }
            }
        }
        return TraceHeader.parse(null);
    }

    private void deliver(String busName, ObjectNode event, TraceHeader traceHeader) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(event);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        for (Records.Entry<Rule> entry : rules.inScope(busName, Rule.class)) {
            Rule rule = entry.value();
            if (!rule.enabled() || !EventPattern.parse(rule.eventPattern()).matches(event)) {
                continue;
            }
            for (Target target : rule.targets()) {
                try {
                    lambda.enqueue(lambda.resolveForService(target.arn(), PRINCIPAL, ruleArn(busName, rule.name())),
                            payload, traceHeader);
                } catch (ServiceException refused) {
                    // EventBridge counts such an invocation as failed and the event is not delivered; PutEvents
                    // itself still succeeds, so the only trace of it is this sentence.
                    undelivered.accept("EventBridge could not deliver event " + event.path("id").asText() + " of rule "
                            + rule.name() + " to target " + target.id() + ": " + refused.getMessage()
                            + (refused.status() == 404 ? " Deploy the function, or point the target at one that"
                                    + " exists." : ""));
                }
            }
        }
    }

    private static String ruleKey(String bus, String rule) {
        return bus + "|" + rule;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
