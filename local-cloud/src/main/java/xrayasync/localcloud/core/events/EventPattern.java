package xrayasync.localcloud.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * An EventBridge event pattern, parsed once and matched against events in EventBridge's delivered shape.
 *
 * <p>The rules are the EventBridge user guide's: "Amazon EventBridge event patterns" (eb-event-patterns: a pattern
 * has the structure of the events it matches, every field it names must match, fields it leaves out are not looked
 * at, and each leaf is an array of which any one value may match); "Arrays in Amazon EventBridge event patterns"
 * (arrays-in-eventbridge-event-patterns: an array in the event matches when it shares a value with the pattern's
 * array); "Content filtering in Amazon EventBridge event patterns" (content-filtering-with-event-patterns): prefix,
 * suffix, equals-ignore-case, anything-but (a value, a list, a prefix or a suffix), numeric comparisons, exists (on
 * leaf fields only), wildcard, null and empty-string values, and {@code $or}. IP address matching ({@code cidr}) is
 * not emulated and is refused when the rule is put, rather than never matching.
 */
public final class EventPattern {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OR = "$or";

    private final String text;
    private final JsonNode pattern;

    private EventPattern(String text, JsonNode pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * Parses a pattern as PutRule's EventPattern takes it.
     *
     * @throws ServiceException EventBridge's InvalidEventPatternException, with what is wrong, for a pattern it would
     *     refuse
     */
    public static EventPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("the pattern is empty; give a JSON object such as {\"source\": [\"my.app\"]}");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (JsonProcessingException malformed) {
            throw invalid("it is not JSON (" + malformed.getOriginalMessage() + ")");
        }
        if (parsed == null || !parsed.isObject() || parsed.isEmpty()) {
            throw invalid("the pattern must be a JSON object with at least one field");
        }
        checkObject(parsed, "");
        return new EventPattern(text, parsed);
    }

    /** The pattern as it was given, which DescribeRule returns unchanged. */
    public String text() {
        return text;
    }

    /** Whether an event (EventBridge's envelope: version, id, detail-type, source, …, detail) matches. */
    public boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    private static void checkObject(JsonNode object, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals(OR)) {
                if (!value.isArray() || value.size() < 2) {
                    throw invalid("$or at " + at + " must be an array of at least two patterns");
                }
                value.forEach(branch -> {
                    if (!branch.isObject() || branch.isEmpty()) {
                        throw invalid("each branch of $or at " + at + " must be a pattern object");
                    }
                    checkObject(branch, path);
                });
            } else if (value.isObject()) {
                if (value.isEmpty()) {
                    throw invalid("the field " + at + " holds an empty object; give it fields or an array of values");
                }
                checkObject(value, at);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    throw invalid("the field " + at + " holds an empty array; give at least one value to match");
                }
                value.forEach(matcher -> checkMatcher(matcher, at));
            } else {
                throw invalid("the field " + at + " holds " + value + "; a field's values to match go in an array,"
                        + " as in [" + value + "]");
            }
        }
    }

    private static void checkMatcher(JsonNode matcher, String at) {
        if (!matcher.isObject()) {
            if (matcher.isContainerNode()) {
                throw invalid("the array of " + at + " holds another array; list the values in one array");
            }
            return;
        }
        if (matcher.size() != 1) {
            throw invalid("a matcher of " + at + " must have exactly one operator, not " + matcher);
        }
        String operator = matcher.fieldNames().next();
        JsonNode operand = matcher.get(operator);
        switch (operator) {
            case "prefix", "suffix" -> {
                if (!operand.isTextual() && !ignoringCase(operand)) {
                    throw invalid(operator + " at " + at + " takes a string or {\"equals-ignore-case\": string}");
                }
            }
            case "equals-ignore-case", "wildcard" -> {
                if (!operand.isTextual()) {
                    throw invalid(operator + " at " + at + " takes a string");
                }
            }
            case "exists" -> {
                if (!operand.isBoolean()) {
                    throw invalid("exists at " + at + " takes true or false");
                }
            }
            case "numeric" -> numericChecked(operand, at);
            case "anything-but" -> {
                boolean valid = operand.isValueNode() && !operand.isNull()
                        || operand.isArray() && !operand.isEmpty() && allScalars(operand)
                        || operand.isObject() && operand.size() == 1 && (operand.has("prefix")
                                || operand.has("suffix") || operand.has("equals-ignore-case"))
                                && operand.elements().next().isTextual();
                if (!valid) {
                    throw invalid("anything-but at " + at + " takes a value, a list of values, or {\"prefix\"},"
                            + " {\"suffix\"} or {\"equals-ignore-case\"} with a string");
                }
            }
            case "cidr" -> throw invalid("the local cloud does not emulate cidr matching (at " + at + "); match the"
                    + " addresses with prefix instead");
            default -> throw invalid("the operator " + operator + " at " + at + " is not one EventBridge knows: use"
                    + " prefix, suffix, equals-ignore-case, anything-but, numeric, exists or wildcard");
        }
    }

    private static boolean ignoringCase(JsonNode operand) {
        return operand.isObject() && operand.size() == 1 && operand.path("equals-ignore-case").isTextual();
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode member : array) {
            if (!member.isTextual() && !member.isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** The comparisons of a numeric matcher: one or two pairs of operator and number, "=" only alone. */
    private static List<Comparison> numericChecked(JsonNode operand, String at) {
        if (!operand.isArray() || (operand.size() != 2 && operand.size() != 4)) {
            throw invalid("numeric at " + at + " takes [operator, number] or [operator, number, operator, number]");
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int index = 0; index < operand.size(); index += 2) {
            String operator = operand.get(index).asText();
            JsonNode number = operand.get(index + 1);
            if (!List.of("=", "<", "<=", ">", ">=").contains(operator) || !number.isNumber()) {
                throw invalid("numeric at " + at + " compares with =, <, <=, > or >= and a number; "
                        + operand.get(index) + ", " + number + " is not that");
            }
            comparisons.add(new Comparison(operator, number.doubleValue()));
        }
        if (comparisons.size() == 2 && comparisons.stream().anyMatch(comparison -> comparison.operator().equals("="))) {
            throw invalid("numeric at " + at + " takes \"=\" alone; a range is a lower and an upper bound");
        }
        return comparisons;
    }

    private record Comparison(String operator, double bound) {

        boolean holds(double value) {
            return switch (operator) {
                case "=" -> value == bound;
                case "<" -> value < bound;
                case "<=" -> value <= bound;
                case ">" -> value > bound;
                default -> value >= bound;
            };
        }
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(OR)) {
                boolean any = false;
                for (JsonNode branch : field.getValue()) {
                    any = any || matchesObject(branch, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null ? null : event.get(field.getKey());
            boolean matched = field.getValue().isObject() ? matchesNested(field.getValue(), value)
                    : matchesLeaf(field.getValue(), value);
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    /** A nested pattern against the event's value there: an object, or an array of objects any of which matches. */
    private static boolean matchesNested(JsonNode pattern, JsonNode value) {
        if (value != null && value.isArray()) {
            for (JsonNode member : value) {
                if (member.isObject() && matchesObject(pattern, member)) {
                    return true;
                }
            }
            // An absent nested field can still match a pattern made only of "exists": false.
            return value.isEmpty() && matchesObject(pattern, null);
        }
        return matchesObject(pattern, value != null && value.isObject() ? value : null);
    }

    private static boolean matchesLeaf(JsonNode matchers, JsonNode value) {
        for (JsonNode matcher : matchers) {
            if (matcher.isObject() && matcher.has("exists")) {
                boolean present = value != null && !value.isObject()
                        && !(value.isArray() && value.isEmpty());
                if (matcher.get("exists").asBoolean() == present) {
                    return true;
                }
                continue;
            }
            if (value == null || value.isObject()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode member : value) {
                    if (matchesValue(matcher, member)) {
                        return true;
                    }
                }
            } else if (matchesValue(matcher, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesValue(JsonNode matcher, JsonNode value) {
        if (!matcher.isObject()) {
            return equal(matcher, value);
        }
        String operator = matcher.fieldNames().next();
        JsonNode operand = matcher.get(operator);
        return switch (operator) {
            case "prefix" -> value.isTextual() && (operand.isTextual() ? value.asText().startsWith(operand.asText())
                    : lower(value.asText()).startsWith(lower(operand.get("equals-ignore-case").asText())));
            case "suffix" -> value.isTextual() && (operand.isTextual() ? value.asText().endsWith(operand.asText())
                    : lower(value.asText()).endsWith(lower(operand.get("equals-ignore-case").asText())));
            case "equals-ignore-case" -> value.isTextual() && value.asText().equalsIgnoreCase(operand.asText());
            case "wildcard" -> value.isTextual() && wildcard(operand.asText()).matcher(value.asText()).matches();
            case "numeric" -> value.isNumber() && numericChecked(operand, "").stream()
                    .allMatch(comparison -> comparison.holds(value.doubleValue()));
            case "anything-but" -> !value.isNull() && !excluded(operand, value);
            default -> false;
        };
    }

    private static boolean excluded(JsonNode operand, JsonNode value) {
        if (operand.isArray()) {
            for (JsonNode member : operand) {
                if (equal(member, value)) {
                    return true;
                }
            }
            return false;
        }
        if (operand.isObject()) {
            String operator = operand.fieldNames().next();
            String text = operand.get(operator).asText();
            return value.isTextual() && switch (operator) {
                case "prefix" -> value.asText().startsWith(text);
                case "suffix" -> value.asText().endsWith(text);
                default -> value.asText().equalsIgnoreCase(text);
            };
        }
        return equal(operand, value);
    }

    /** Exact matching: strings to strings, numbers by value (300 and 3.0e2 are one number), null and booleans. */
    private static boolean equal(JsonNode expected, JsonNode value) {
        if (expected.isNumber()) {
            return value.isNumber() && expected.doubleValue() == value.doubleValue();
        }
        if (expected.isTextual()) {
            return value.isTextual() && expected.asText().equals(value.asText());
        }
        return expected.equals(value);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** A wildcard value as a regular expression: {@code *} stands for any run of characters, {@code \*} for itself. */
    private static Pattern wildcard(String expression) {
        StringBuilder regex = new StringBuilder();
        for (int index = 0; index < expression.length(); index++) {
            char character = expression.charAt(index);
            if (character == '\\' && index + 1 < expression.length()) {
                regex.append(Pattern.quote(String.valueOf(expression.charAt(++index))));
            } else if (character == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(character)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static ServiceException invalid(String reason) {
        return EventsError.INVALID_EVENT_PATTERN.with("Event pattern is not valid: " + reason + ".");
    }
}
