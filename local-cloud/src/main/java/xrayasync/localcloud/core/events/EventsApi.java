package xrayasync.localcloud.core.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.CreateEventBusRequest;
import software.amazon.awssdk.services.eventbridge.model.CreateEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DeleteEventBusRequest;
import software.amazon.awssdk.services.eventbridge.model.DeleteEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DeleteRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.DeleteRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.DisableRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.DisableRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EnableRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.EnableRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBus;
import software.amazon.awssdk.services.eventbridge.model.ListEventBusesRequest;
import software.amazon.awssdk.services.eventbridge.model.ListEventBusesResponse;
import software.amazon.awssdk.services.eventbridge.model.ListRulesRequest;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.ListTargetsByRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.ListTargetsByRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.PutRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RemoveTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.RemoveTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import xrayasync.localcloud.core.protocol.AwsJsonProtocol;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.RequestContext;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * EventBridge's API over the local buses and rules, on AWS JSON 1.1 from the SDK's model of it: PutEvents, the bus
 * operations (CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses), the rule operations (PutRule,
 * DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule) and the target operations (PutTargets, RemoveTargets,
 * ListTargetsByRule).
 */
public final class EventsApi {

    private static final int PAGE = 100;

    private final EventsService events;

    public EventsApi(EventsService events) {
        this.events = events;
    }

    /** The API on the wire: EventBridge's JSON 1.1 protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(EventBridgeClient.class, "EventBridge"), AwsJsonProtocol.V1_1)
                .on(PutEventsRequest.class, this::putEvents)
                .on(CreateEventBusRequest.class, (request, context) -> createEventBus(request))
                .on(DeleteEventBusRequest.class, (request, context) -> deleteEventBus(request))
                .on(DescribeEventBusRequest.class, (request, context) -> describeEventBus(request))
                .on(ListEventBusesRequest.class, (request, context) -> listEventBuses(request))
                .on(PutRuleRequest.class, (request, context) -> putRule(request))
                .on(DescribeRuleRequest.class, (request, context) -> describeRule(request))
                .on(ListRulesRequest.class, (request, context) -> listRules(request))
                .on(DeleteRuleRequest.class, (request, context) -> deleteRule(request))
                .on(EnableRuleRequest.class, (request, context) -> enableRule(request))
                .on(DisableRuleRequest.class, (request, context) -> disableRule(request))
                .on(PutTargetsRequest.class, (request, context) -> putTargets(request))
                .on(RemoveTargetsRequest.class, (request, context) -> removeTargets(request))
                .on(ListTargetsByRuleRequest.class, (request, context) -> listTargetsByRule(request));
    }

    PutEventsResponse putEvents(PutEventsRequest request, RequestContext context) {
        List<EventsService.Outcome> outcomes = events.putEvents(request.entries().stream()
                .map(entry -> new EventsService.Entry(entry.source(), entry.detailType(), entry.detail(),
                        entry.eventBusName(), entry.hasResources() ? entry.resources() : List.of(), entry.time(),
                        entry.traceHeader()))
                .toList(), context.header(TraceHeader.HTTP_HEADER));
        return PutEventsResponse.builder()
                .failedEntryCount((int) outcomes.stream().filter(outcome -> outcome.eventId() == null).count())
                .entries(outcomes.stream().map(outcome -> PutEventsResultEntry.builder().eventId(outcome.eventId())
                        .errorCode(outcome.errorCode()).errorMessage(outcome.errorMessage()).build()).toList())
                .build();
    }

    CreateEventBusResponse createEventBus(CreateEventBusRequest request) {
        if (request.eventSourceName() != null) {
            throw EventsError.VALIDATION.with("The local cloud has no partner event sources: leave EventSourceName"
                    + " out to create a custom bus.");
        }
        EventsService.Bus bus = events.createBus(request.name(), request.description());
        return CreateEventBusResponse.builder().eventBusArn(events.busArn(bus.name()))
                .description(bus.description()).build();
    }

    DeleteEventBusResponse deleteEventBus(DeleteEventBusRequest request) {
        events.deleteBus(events.busName(request.name()));
        return DeleteEventBusResponse.builder().build();
    }

    DescribeEventBusResponse describeEventBus(DescribeEventBusRequest request) {
        EventsService.Bus bus = events.bus(events.busName(request.name()));
        return DescribeEventBusResponse.builder().name(bus.name()).arn(events.busArn(bus.name()))
                .description(bus.description()).creationTime(bus.created()).lastModifiedTime(bus.lastModified())
                .build();
    }

    ListEventBusesResponse listEventBuses(ListEventBusesRequest request) {
        Page<EventsService.Bus> page = Page.of(events.buses(request.namePrefix()), request.nextToken(),
                request.limit());
        return ListEventBusesResponse.builder().eventBuses(page.items().stream().map(bus -> EventBus.builder()
                .name(bus.name()).arn(events.busArn(bus.name())).description(bus.description())
                .creationTime(bus.created()).lastModifiedTime(bus.lastModified()).build()).toList())
                .nextToken(page.nextToken()).build();
    }

    PutRuleResponse putRule(PutRuleRequest request) {
        if (request.scheduleExpression() != null) {
            throw EventsError.VALIDATION.with("The local cloud runs no schedules: give the rule an EventPattern"
                    + " instead of a ScheduleExpression.");
        }
        String bus = events.busName(request.eventBusName());
        EventsService.Rule rule = events.putRule(request.name(), bus, request.eventPattern(),
                request.stateAsString(), request.description());
        return PutRuleResponse.builder().ruleArn(events.ruleArn(bus, rule.name())).build();
    }

    DescribeRuleResponse describeRule(DescribeRuleRequest request) {
        String bus = events.busName(request.eventBusName());
        EventsService.Rule rule = events.rule(bus, request.name());
        return DescribeRuleResponse.builder().name(rule.name()).arn(events.ruleArn(bus, rule.name()))
                .eventPattern(rule.eventPattern()).state(rule.state()).description(rule.description())
                .eventBusName(bus).createdBy(events.account()).build();
    }

    ListRulesResponse listRules(ListRulesRequest request) {
        String bus = events.busName(request.eventBusName());
        Page<EventsService.Rule> page = Page.of(events.rules(bus, request.namePrefix()), request.nextToken(),
                request.limit());
        return ListRulesResponse.builder().rules(page.items().stream().map(rule -> Rule.builder().name(rule.name())
                .arn(events.ruleArn(bus, rule.name())).eventPattern(rule.eventPattern()).state(rule.state())
                .description(rule.description()).eventBusName(bus).build()).toList())
                .nextToken(page.nextToken()).build();
    }

    DeleteRuleResponse deleteRule(DeleteRuleRequest request) {
        events.deleteRule(events.busName(request.eventBusName()), request.name(),
                Boolean.TRUE.equals(request.force()));
        return DeleteRuleResponse.builder().build();
    }

    EnableRuleResponse enableRule(EnableRuleRequest request) {
        events.setState(events.busName(request.eventBusName()), request.name(), "ENABLED");
        return EnableRuleResponse.builder().build();
    }

    DisableRuleResponse disableRule(DisableRuleRequest request) {
        events.setState(events.busName(request.eventBusName()), request.name(), "DISABLED");
        return DisableRuleResponse.builder().build();
    }

    PutTargetsResponse putTargets(PutTargetsRequest request) {
        for (Target target : request.targets()) {
            if (target.input() != null || target.inputPath() != null || target.inputTransformer() != null) {
                throw EventsError.VALIDATION.with("Target " + target.id() + " reshapes the event (Input, InputPath"
                        + " or InputTransformer), which the local cloud does not emulate: leave them out to deliver"
                        + " the event as it is.");
            }
        }
        events.putTargets(events.busName(request.eventBusName()), request.rule(), request.targets().stream()
                .map(target -> new EventsService.Target(target.id(), target.arn())).toList());
        return PutTargetsResponse.builder().failedEntryCount(0).failedEntries(List.of()).build();
    }

    RemoveTargetsResponse removeTargets(RemoveTargetsRequest request) {
        events.removeTargets(events.busName(request.eventBusName()), request.rule(), request.ids());
        return RemoveTargetsResponse.builder().failedEntryCount(0).failedEntries(List.of()).build();
    }

    ListTargetsByRuleResponse listTargetsByRule(ListTargetsByRuleRequest request) {
        EventsService.Rule rule = events.rule(events.busName(request.eventBusName()), request.rule());
        Page<EventsService.Target> page = Page.of(rule.targets(), request.nextToken(), request.limit());
        return ListTargetsByRuleResponse.builder().targets(page.items().stream().map(target -> Target.builder()
                .id(target.id()).arn(target.arn()).build()).toList()).nextToken(page.nextToken()).build();
    }

    /** One page of a list and the token of the next (null at the end): the token is the offset, opaque to clients. */
    private record Page<T>(List<T> items, String nextToken) {

        static <T> Page<T> of(List<T> all, String token, Integer limit) {
            int from = 0;
            if (token != null) {
                try {
                    from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notOurs) {
                    throw EventsError.VALIDATION.with("The NextToken is not valid: pass the NextToken of the previous"
                            + " answer unchanged.");
                }
            }
            int count = limit == null ? PAGE : limit;
            if (count < 1 || count > PAGE) {
                throw EventsError.VALIDATION.with("Limit " + count + " is not valid: give 1 to " + PAGE + ".");
            }
            int start = Math.min(from, all.size());
            int end = Math.min(all.size(), start + count);
            String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)) : null;
            return new Page<>(all.subList(start, end), next);
        }
    }
}
