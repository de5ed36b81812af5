"""EventBridge PutEvents to a Lambda target, with boto3 against the endpoint in AWS_ENDPOINT_URL; prints JSON.

Usage: eventbridge_calls.py FUNCTION_ARN TRACE_HEADER DETAIL_FILE
Creates a custom bus and a rule on it whose target is the function, puts one event whose entry carries the trace
header, and reads the trace it names (BatchGetTraces) until Lambda's segment for the target is in it.
"""
import json
import sys
import time

import boto3


def entities(document):
    yield document
    for child in document.get("subsegments", []):
        yield from entities(child)


def main(function_arn, trace_header, detail_file):
    events = boto3.client("events")
    xray = boto3.client("xray")
    bus_arn = events.create_event_bus(Name="boto3-bus")["EventBusArn"]
    rule_arn = events.put_rule(Name="boto3-rule", EventBusName="boto3-bus",
                               EventPattern=json.dumps({"source": ["boto3.check"]}))["RuleArn"]
    events.put_targets(Rule="boto3-rule", EventBusName="boto3-bus",
                       Targets=[{"Id": "triggered", "Arn": function_arn}])
    boto3.client("lambda").add_permission(FunctionName=function_arn, StatementId="boto3-rule",
                                          Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                                          SourceArn=rule_arn)
    with open(detail_file, encoding="utf-8") as detail:
        put = events.put_events(Entries=[
            {"Source": "boto3.check", "DetailType": "boto3 check", "Detail": detail.read(),
             "EventBusName": "boto3-bus", "TraceHeader": trace_header},
            {"Source": "boto3.check", "DetailType": "boto3 check", "Detail": "[1, 2]", "EventBusName": "boto3-bus"},
        ])
    trace_id = trace_header.split(";")[0].split("=")[1]
    lambda_segments = []
    deadline = time.time() + 90
    while not lambda_segments and time.time() < deadline:
        time.sleep(0.5)
        traces = xray.batch_get_traces(TraceIds=[trace_id])["Traces"]
        documents = [json.loads(segment["Document"]) for trace in traces for segment in trace["Segments"]]
        lambda_segments = [entity for document in documents for entity in entities(document)
                           if entity.get("origin") == "AWS::Lambda"]
    return {
        "bus_arn": bus_arn,
        "rule_arn": rule_arn,
        "targets": events.list_targets_by_rule(Rule="boto3-rule", EventBusName="boto3-bus")["Targets"],
        "failed_entry_count": put["FailedEntryCount"],
        "entries": put["Entries"],
        "lambda_segments": lambda_segments,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
