package xrayasync.localcloud.core.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * A CloudWatch Logs filter pattern, as the CloudWatch Logs user guide's "Filter pattern syntax" defines it for
 * FilterLogEvents: terms and quoted phrases that must all appear (case-sensitive), {@code ?term} alternatives of which
 * one must, {@code -term} exclusions; and JSON patterns, {@code { $.level = "ERROR" && $.latency > 100 }}, with
 * {@code = != < <= > >=}, {@code *} wildcards in strings, {@code IS NULL}, {@code IS TRUE}, {@code IS FALSE},
 * {@code NOT EXISTS}, parentheses, {@code &&} and {@code ||}. Space-delimited patterns ({@code [ip, user, …]}) and
 * regular expressions ({@code %…%}) are refused with a sentence.
 */
public final class FilterPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a pattern tests a message with. */
    private sealed interface Test permits Terms, JsonTest {
        boolean matches(String message);
    }

    private final Test test;

    private FilterPattern(Test test) {
        this.test = test;
    }

    /** Parses a pattern; null or blank matches every event. */
    public static FilterPattern parse(String pattern) {
        String text = pattern == null ? "" : pattern.trim();
        if (text.startsWith("{")) {
            if (!text.endsWith("}")) {
                throw invalid(pattern, "a JSON pattern ends with }");
            }
            return new FilterPattern(new JsonParser(pattern, text.substring(1, text.length() - 1)).parse());
        }
        if (text.startsWith("[") || text.startsWith("%")) {
            throw new ServiceException(400, "InvalidParameterException", "The local cloud's CloudWatch Logs does not"
                    + " evaluate space-delimited or regular-expression filter patterns (" + pattern + "); use terms,"
                    + " \"quoted phrases\", ?alternatives, -exclusions or a JSON pattern { $.field = \"value\" }.");
        }
        return new FilterPattern(Terms.parse(text));
    }

    public boolean matches(String message) {
        return test.matches(message);
    }

    static ServiceException invalid(String pattern, String why) {
        return new ServiceException(400, "InvalidParameterException", "Invalid filter pattern '" + pattern + "': "
                + why + ".");
    }

    /** Unstructured terms: all required ones, one of the alternatives (if any), none of the excluded. */
    private record Terms(List<String> required, List<String> alternatives, List<String> excluded) implements Test {

        static Terms parse(String text) {
            List<String> required = new ArrayList<>();
            List<String> alternatives = new ArrayList<>();
            List<String> excluded = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                char first = text.charAt(at);
                if (Character.isWhitespace(first)) {
                    at++;
                    continue;
                }
                List<String> into = first == '?' ? alternatives : first == '-' ? excluded : required;
                if (first == '?' || first == '-') {
                    at++;
                }
                String term;
                if (at < text.length() && text.charAt(at) == '"') {
                    int close = text.indexOf('"', at + 1);
                    if (close < 0) {
                        throw invalid(text, "a quoted phrase is not closed");
                    }
                    term = text.substring(at + 1, close);
                    at = close + 1;
                } else {
                    int end = at;
                    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                        end++;
                    }
                    term = text.substring(at, end);
                    at = end;
                }
                if (!term.isEmpty()) {
                    into.add(term);
                }
            }
            return new Terms(required, alternatives, excluded);
        }

        @Override
        public boolean matches(String message) {
            return required.stream().allMatch(message::contains)
                    && (alternatives.isEmpty() || alternatives.stream().anyMatch(message::contains))
                    && excluded.stream().noneMatch(message::contains);
        }
    }

    /** A JSON pattern's expression; a message that is not a JSON object matches none. */
    private record JsonTest(Expression expression) implements Test {
        @Override
        public boolean matches(String message) {
            String trimmed = message.trim();
            if (!trimmed.startsWith("{")) {
                return false;
            }
            try {
                return expression.matches(JSON.readTree(trimmed));
            } catch (IOException notJson) {
                return false;
            }
        }
    }

    private sealed interface Expression permits And, Or, Comparison {
        boolean matches(JsonNode document);
    }

    private record And(Expression left, Expression right) implements Expression {
        @Override
        public boolean matches(JsonNode document) {
            return left.matches(document) && right.matches(document);
        }
    }

    private record Or(Expression left, Expression right) implements Expression {
        @Override
        public boolean matches(JsonNode document) {
            return left.matches(document) || right.matches(document);
        }
    }

    /** {@code $.selector operator value}, or {@code $.selector IS NULL / IS TRUE / IS FALSE / NOT EXISTS}. */
    private record Comparison(List<Object> path, String operator, Object value) implements Expression {

        @Override
        public boolean matches(JsonNode document) {
            JsonNode node = document;
            for (Object step : path) {
                node = step instanceof Integer index ? node.path(index) : node.path((String) step);
            }
            return switch (operator) {
                case "NOT EXISTS" -> node.isMissingNode();
                case "IS NULL" -> node.isNull();
                case "IS TRUE" -> node.isBoolean() && node.asBoolean();
                case "IS FALSE" -> node.isBoolean() && !node.asBoolean();
                default -> compare(node);
            };
        }

        private boolean compare(JsonNode node) {
            if (node.isMissingNode() || node.isNull() || node.isContainerNode()) {
                return false;
            }
            if (value instanceof BigDecimal number) {
                if (!node.isNumber()) {
                    return false;
                }
                int order = node.decimalValue().compareTo(number);
                return switch (operator) {
                    case "=" -> order == 0;
                    case "!=" -> order != 0;
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            }
            boolean equal = wildcard((String) value).matcher(node.asText()).matches();
            return operator.equals("=") == equal;
        }

        /** A pattern value with * wildcards, as a regular expression over the whole field. */
        private static Pattern wildcard(String text) {
            return Pattern.compile(Arrays.stream(text.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".*")), Pattern.DOTALL);
        }
    }

    /** A recursive-descent parser of a JSON pattern's expression: || binds looser than &&. */
    private static final class JsonParser {
        private final String pattern;
        private final String text;
        private int at;

        JsonParser(String pattern, String text) {
            this.pattern = pattern;
            this.text = text;
        }

        Test parse() {
            Expression expression = or();
            skipSpace();
            if (at != text.length()) {
                throw invalid(pattern, "unexpected '" + text.substring(at) + "'");
            }
            return new JsonTest(expression);
        }

        private Expression or() {
            Expression left = and();
            while (consume("||")) {
                left = new Or(left, and());
            }
            return left;
        }

        private Expression and() {
            Expression left = primary();
            while (consume("&&")) {
                left = new And(left, primary());
            }
            return left;
        }

        private Expression primary() {
            if (consume("(")) {
                Expression inner = or();
                if (!consume(")")) {
                    throw invalid(pattern, "a parenthesis is not closed");
                }
                return inner;
            }
            List<Object> path = selector();
            for (String keyword : List.of("IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS")) {
                if (consume(keyword)) {
                    return new Comparison(path, keyword, null);
                }
            }
            for (String operator : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (consume(operator)) {
                    return new Comparison(path, operator, value(operator));
                }
            }
            throw invalid(pattern, "a selector is followed by an operator (=, !=, <, <=, >, >=) or IS NULL, IS TRUE,"
                    + " IS FALSE, NOT EXISTS");
        }

        private List<Object> selector() {
            skipSpace();
            if (!text.startsWith("$.", at)) {
                throw invalid(pattern, "a JSON pattern's selector starts with $.");
            }
            at += 2;
            List<Object> path = new ArrayList<>();
            StringBuilder name = new StringBuilder();
            while (at < text.length()) {
                char next = text.charAt(at);
                if (next == '.' || next == '[') {
                    if (!name.isEmpty()) {
                        path.add(name.toString());
                        name.setLength(0);
                    }
                    if (next == '[') {
                        int close = text.indexOf(']', at);
                        if (close < 0) {
                            throw invalid(pattern, "an array index is not closed");
                        }
                        path.add(Integer.parseInt(text.substring(at + 1, close).trim()));
                        at = close;
                    }
                    at++;
                } else if (Character.isLetterOrDigit(next) || next == '_' || next == '-' || next == '@') {
                    name.append(next);
                    at++;
                } else {
                    break;
                }
            }
            if (!name.isEmpty()) {
                path.add(name.toString());
            }
            if (path.isEmpty()) {
                throw invalid(pattern, "the selector names no field");
            }
            return path;
        }

        private Object value(String operator) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == '"') {
                int close = text.indexOf('"', at + 1);
                if (close < 0) {
                    throw invalid(pattern, "a quoted value is not closed");
                }
                String quoted = text.substring(at + 1, close);
                at = close + 1;
                return requireStringOperator(operator, quoted);
            }
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != ')'
                    && !text.startsWith("&&", at) && !text.startsWith("||", at)) {
                at++;
            }
            String bare = text.substring(start, at);
            if (bare.isEmpty()) {
                throw invalid(pattern, "an operator is followed by a value");
            }
            try {
                return new BigDecimal(bare);
            } catch (NumberFormatException notANumber) {
                return requireStringOperator(operator, bare);
            }
        }

        private String requireStringOperator(String operator, String value) {
            if (!operator.equals("=") && !operator.equals("!=")) {
                throw invalid(pattern, "strings are compared with = and != only");
            }
            return value;
        }

        private boolean consume(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
