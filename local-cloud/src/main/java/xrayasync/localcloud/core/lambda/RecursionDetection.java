package xrayasync.localcloud.core.lambda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * Lambda's recursive loop detection. Lambda counts, in the {@code Lineage} field of the trace header, how many times
 * a chain of requests has invoked each function, and stops the invocation after 16 (AWS Compute Blog, "Detecting and
 * stopping recursive loops in AWS Lambda functions": "drops requests after exceeding 16 invocations"; Lambda developer
 * guide, invocation-recursion). The field is written in the form the X-Ray developer guide documents,
 * {@code Lineage=a87bd80c:1|68fd508a:5}: an entry per function, a hash of the function and its count, the invoked
 * function's entry added at 0 (as seen in aws-xray-sdk-node PR #651: {@code Lineage=061379e8:0|cbc84ad3:0}). Headers
 * captured in 2025 show a newer form, {@code 1:037bed70:0}, whose fields AWS does not document; entries of that form
 * are passed on untouched. The hash AWS uses is not public either: here it is the CRC-32 of the function's ARN.
 */
final class RecursionDetection {

    /** How many invocations one chain may make of a function; the next is stopped. */
    static final int MAXIMUM_INVOCATIONS = 16;

    static final String LINEAGE = "Lineage";

    /**
     * What Lambda does with one invocation.
     *
     * @param header the incoming header with the function's Lineage entry counted in
     * @param invocations how many times this chain has now invoked the function, this invocation included
     */
    record Verdict(TraceHeader header, int invocations) {

        boolean stopped() {
            return invocations > MAXIMUM_INVOCATIONS;
        }
    }

    private RecursionDetection() {
    }

    static Verdict count(TraceHeader incoming, FunctionArn function) {
        String hash = hash(function.unqualified());
        List<String> entries = new ArrayList<>();
        String received = incoming.otherFields().get(LINEAGE);
        if (received != null && !received.isBlank()) {
            entries.addAll(List.of(received.split("\\|")));
        }
        int count = 0;
        boolean found = false;
        for (int index = 0; index < entries.size(); index++) {
            String[] entry = entries.get(index).split(":");
            if (entry.length == 2 && entry[0].equals(hash) && entry[1].matches("\\d{1,5}")) {
                count = Integer.parseInt(entry[1]) + 1;
                entries.set(index, hash + ":" + count);
                found = true;
            }
        }
        if (!found) {
            entries.add(hash + ":0");
        }
        return new Verdict(incoming.with(LINEAGE, String.join("|", entries)), count + 1);
    }

    private static String hash(FunctionArn function) {
        CRC32 crc = new CRC32();
        crc.update(function.toString().getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
