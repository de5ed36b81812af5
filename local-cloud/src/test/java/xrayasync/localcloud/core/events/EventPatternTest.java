package xrayasync.localcloud.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * EventBridge's event patterns, on the EventBridge user guide's own examples: "Amazon EventBridge event patterns"
 * (the EC2 state-change event and the pattern that selects its terminations), "Arrays in Amazon EventBridge event
 * patterns" and "Content filtering in Amazon EventBridge event patterns".
 */
class EventPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The guide's sample event (eb-event-patterns). */
    private static final String EC2_EVENT = """
            {
              "version": "0",
              "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
              "detail-type": "EC2 Instance State-change Notification",
              "source": "aws.ec2",
              "account": "111122223333",
              "time": "2017-12-22T18:43:48Z",
              "region": "us-west-1",
              "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
              "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}
            }""";

    /** The content-filtering page's fields, in one event's detail. */
    private static final String FILTERED_EVENT = """
            {
              "source": "com.example.app",
              "time": "2017-10-02T18:43:48Z",
              "detail": {"state": "running", "c-count": 5, "d-count": 3, "x-limit": 301.8, "eventVersion": "",
                         "responseElements": null, "FileName": "photo.PNG", "Region": "us-east-1"}
            }""";

    private static boolean matches(String pattern, String event) throws Exception {
        return EventPattern.parse(pattern).matches(JSON.readTree(event));
    }

    @Test
    void theGuidesTerminationPatternMatchesItsEc2EventAndNotAnother() throws Exception {
        String pattern = """
                {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"],
                 "detail": {"state": ["terminated"]}}""";

        assertTrue(matches(pattern, EC2_EVENT));
        assertFalse(matches(pattern, EC2_EVENT.replace("\"terminated\"", "\"running\"")));
        assertFalse(matches(pattern, EC2_EVENT.replace("\"aws.ec2\"", "\"aws.s3\"")));
    }

    @Test
    void anyValueOfThePatternsArrayMatchesAndAnEventArrayMatchesWhenTheyIntersect() throws Exception {
        String resources = """
                {"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                               "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}""";
        String event = """
                {"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b",
                               "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}""";

        assertTrue(matches(resources, event));
        assertFalse(matches(resources, "{\"resources\": [\"arn:aws:ec2:us-east-1:444455556666:instance/i-1\"]}"));
        assertTrue(matches("{\"detail\": {\"state\": [\"pending\", \"terminated\"]}}", EC2_EVENT));
    }

    @Test
    void fieldsThePatternLeavesOutAreNotLookedAtAndEveryFieldItNamesMustMatch() throws Exception {
        assertTrue(matches("{\"region\": [\"us-west-1\"]}", EC2_EVENT));
        assertFalse(matches("{\"region\": [\"us-west-1\"], \"detail\": {\"instance-id\": [\"i-0\"]}}", EC2_EVENT));
        assertFalse(matches("{\"detail\": {\"missing\": [\"anything\"]}}", EC2_EVENT));
    }

    @Test
    void prefixAndSuffixMatchStringsWithOrWithoutCase() throws Exception {
        assertTrue(matches("{\"time\": [{\"prefix\": \"2017-10-02\"}]}", FILTERED_EVENT));
        assertFalse(matches("{\"time\": [{\"prefix\": \"2017-10-03\"}]}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"FileName\": [{\"suffix\": \".png\"}]}}", FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"FileName\": [{\"suffix\": {\"equals-ignore-case\": \".png\"}}]}}",
                FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"Region\": [{\"prefix\": {\"equals-ignore-case\": \"US-\"}}]}}",
                FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"state\": [{\"equals-ignore-case\": \"RUNNING\"}]}}", FILTERED_EVENT));
    }

    @Test
    void anythingButExcludesAValueAListOrAPrefixAndNeedsTheFieldPresent() throws Exception {
        assertTrue(matches("{\"detail\": {\"state\": [{\"anything-but\": \"initializing\"}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"state\": [{\"anything-but\": \"running\"}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"state\": [{\"anything-but\": [\"stopped\", \"running\"]}]}}",
                FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"c-count\": [{\"anything-but\": 123}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"c-count\": [{\"anything-but\": [5, 6]}]}}", FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"state\": [{\"anything-but\": {\"prefix\": \"init\"}}]}}",
                FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"Region\": [{\"anything-but\": {\"prefix\": \"us-\"}}]}}",
                FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"absent\": [{\"anything-but\": \"x\"}]}}", FILTERED_EVENT));
    }

    @Test
    void numericComparesNumbersByValueInARange() throws Exception {
        String pattern = """
                {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                            "x-limit": [{"numeric": ["=", 3.018e2]}]}}""";

        assertTrue(matches(pattern, FILTERED_EVENT));
        assertFalse(matches(pattern, FILTERED_EVENT.replace("\"c-count\": 5", "\"c-count\": 6")));
        assertFalse(matches("{\"detail\": {\"state\": [{\"numeric\": [\">\", 0]}]}}", FILTERED_EVENT),
                "a string is no number");
        assertTrue(matches("{\"detail\": {\"c-count\": [5.0]}}", FILTERED_EVENT), "5.0 and 5 are one number");
        assertFalse(matches("{\"detail\": {\"c-count\": [\"5\"]}}", FILTERED_EVENT), "\"5\" is a string");
    }

    @Test
    void existsMatchesLeafFieldsPresentOrAbsent() throws Exception {
        assertTrue(matches("{\"detail\": {\"state\": [{\"exists\": true}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"state\": [{\"exists\": false}]}}", FILTERED_EVENT));
        assertTrue(matches("{\"detail\": {\"e-count\": [{\"exists\": false}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": [{\"exists\": true}]}", FILTERED_EVENT), "detail is no leaf");
        assertTrue(matches("{\"nowhere\": {\"deeper\": [{\"exists\": false}]}}", FILTERED_EVENT));
    }

    @Test
    void emptyStringsAndNullsAreValuesOfTheirOwn() throws Exception {
        assertTrue(matches("{\"detail\": {\"eventVersion\": [\"\"], \"responseElements\": [null]}}",
                FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"state\": [null]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"absent\": [null]}}", FILTERED_EVENT), "absent is not null");
    }

    @Test
    void wildcardAndOrCombine() throws Exception {
        assertTrue(matches("{\"detail\": {\"FileName\": [{\"wildcard\": \"photo.*\"}]}}", FILTERED_EVENT));
        assertFalse(matches("{\"detail\": {\"FileName\": [{\"wildcard\": \"*.jpg\"}]}}", FILTERED_EVENT));
        String either = """
                {"detail": {"$or": [{"c-count": [{"numeric": [">", 10]}]}, {"state": ["running"]}]}}""";
        assertTrue(matches(either, FILTERED_EVENT));
        assertFalse(matches(either, FILTERED_EVENT.replace("\"running\"", "\"stopped\"")));
    }

    @Test
    void aPatternEventBridgeWouldRefuseIsRefusedWithWhatIsWrong() {
        ServiceException scalar = assertThrows(ServiceException.class,
                () -> EventPattern.parse("{\"source\": \"aws.ec2\"}"));
        assertEquals("InvalidEventPatternException", scalar.errorCode());
        assertTrue(scalar.getMessage().contains("go in an array, as in [\"aws.ec2\"]"), scalar.getMessage());

        assertEquals("InvalidEventPatternException", assertThrows(ServiceException.class,
                () -> EventPattern.parse("not json")).errorCode());
        assertTrue(assertThrows(ServiceException.class,
                () -> EventPattern.parse("{\"a\": [{\"numeric\": [\"~\", 1]}]}")).getMessage().contains("numeric"));
        assertTrue(assertThrows(ServiceException.class,
                () -> EventPattern.parse("{\"a\": [{\"between\": 1}]}")).getMessage().contains("between"));
        assertTrue(assertThrows(ServiceException.class,
                () -> EventPattern.parse("{\"ip\": [{\"cidr\": \"10.0.0.0/24\"}]}")).getMessage()
                .contains("cidr"));
    }

    @Test
    void matchingReadsTheEventAsJson() throws Exception {
        JsonNode event = JSON.readTree(EC2_EVENT);
        assertTrue(EventPattern.parse("{\"account\": [\"111122223333\"]}").matches(event));
    }
}
