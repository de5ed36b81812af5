package xrayasync.localcloud.core.protocol;

import java.util.Map;

/** A request matched to the operation it calls, with what the match found: a REST path's variables. */
record Call(Operation operation, Map<String, String> pathVariables) {
}
