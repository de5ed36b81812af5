package xrayasync.localcloud.core.arn;

/**
 * A Lambda function's ARN, {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}: parsed, qualified and
 * formatted in this one place.
 *
 * @param qualifier a version or alias, or null for the unqualified function
 */
public record FunctionArn(String region, String account, String functionName, String qualifier) {

    private static final String PREFIX = "arn:aws:lambda:";

    /** The unqualified ARN of a function. */
    public static FunctionArn of(String region, String account, String functionName) {
        return new FunctionArn(region, account, functionName, null);
    }

    /** Parses a full function ARN, qualified or not. */
    public static FunctionArn parse(String arn) {
        String[] parts = arn.split(":");
        if (!arn.startsWith(PREFIX) || parts.length < 7 || parts.length > 8 || !parts[5].equals("function")) {
            throw new IllegalArgumentException("'" + arn + "' is not a Lambda function ARN"
                    + " (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]).");
        }
        return new FunctionArn(parts[3], parts[4], parts[6], parts.length == 8 ? parts[7] : null);
    }

    /**
     * Reads Lambda's FunctionName parameter, which takes a name, {@code name:qualifier}, a partial ARN
     * ({@code ACCOUNT:function:NAME[:QUALIFIER]}) or a full ARN; what it leaves out comes from the given region and
     * account.
     */
    public static FunctionArn fromFunctionName(String value, String region, String account) {
        if (value.startsWith(PREFIX)) {
            return parse(value);
        }
        String[] parts = value.split(":");
        if (parts.length >= 3 && parts[1].equals("function")) {
            return new FunctionArn(region, parts[0], parts[2], parts.length > 3 ? parts[3] : null);
        }
        return new FunctionArn(region, account, parts[0], parts.length == 2 ? parts[1] : null);
    }

    /** The ARN of a version or alias of this function. */
    public FunctionArn qualified(String versionOrAlias) {
        return new FunctionArn(region, account, functionName, versionOrAlias);
    }

    public FunctionArn unqualified() {
        return qualified(null);
    }

    @Override
    public String toString() {
        return PREFIX + region + ":" + account + ":function:" + functionName + (qualifier == null ? "" : ":" + qualifier);
    }
}
