"""Replays, call by call, what the SAM CLI (1.164.0) sends for `sam remote invoke`, `sam logs` and `sam traces`,
with boto3 (botocore, as the SAM CLI uses it) pointed at AWS_ENDPOINT_URL. Prints what each step read, as JSON.

  remote-invoke STACK LOGICAL_ID EVENT_FILE   samcli/lib/utils/cloudformation.py (list_stack_resources, paginated),
                                              samcli/lib/remote_invoke/lambda_invoke_executors.py
                                              (get_function_configuration, get_function_url_config, invoke with
                                              LogType=Tail)
  logs STACK                                  samcli/lib/observability/cw_logs (log group from LoggingConfig, then
                                              filter_log_events interleaved over the last ten minutes, by nextToken)
  traces                                      samcli/lib/observability/xray_traces (get_trace_summaries with
                                              TimeRangeType=TraceId, batch_get_traces by five, get_service_graph)
"""
import base64
import json
import sys
import time

import boto3

LAMBDA_TYPE = "AWS::Lambda::Function"


def stack_resources(stack):
    cloudformation = boto3.client("cloudformation")
    resources = []
    for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
        resources.extend(page["StackResourceSummaries"])
    return resources


def remote_invoke(stack, logical_id, event_file):
    function = next(resource["PhysicalResourceId"] for resource in stack_resources(stack)
                    if resource["LogicalResourceId"] == logical_id and resource["ResourceType"] == LAMBDA_TYPE)
    client = boto3.client("lambda")
    client.get_function_configuration(FunctionName=function)
    try:
        client.get_function_url_config(FunctionName=function)
        url = "present"
    except client.exceptions.ResourceNotFoundException:
        url = "none"
    with open(event_file, "rb") as event:
        answer = client.invoke(FunctionName=function, InvocationType="RequestResponse", LogType="Tail",
                               Payload=event.read())
    return {"function": function, "url": url, "payload": json.loads(answer["Payload"].read()),
            "log": base64.b64decode(answer["LogResult"]).decode("utf-8")}


def logs(stack):
    client = boto3.client("lambda")
    cloudwatch = boto3.client("logs")
    now = int(time.time() * 1000)
    messages = {}
    for resource in stack_resources(stack):
        if resource["ResourceType"] != LAMBDA_TYPE:
            continue
        configuration = client.get_function_configuration(FunctionName=resource["PhysicalResourceId"])
        group = configuration.get("LoggingConfig", {}).get("LogGroup") or \
            "/aws/lambda/" + resource["PhysicalResourceId"]
        arguments = {"logGroupName": group, "interleaved": True, "startTime": now - 600_000, "endTime": now}
        found = []
        while True:
            page = cloudwatch.filter_log_events(**arguments)
            found.extend(event["message"] for event in page["events"])
            if not page.get("nextToken"):
                break
            arguments["nextToken"] = page["nextToken"]
        messages[resource["LogicalResourceId"]] = found
    return messages


def traces():
    client = boto3.client("xray")
    end = int(time.time()) + 5
    start = end - 600
    ids = []
    for page in client.get_paginator("get_trace_summaries").paginate(TimeRangeType="TraceId", StartTime=start,
                                                                     EndTime=end):
        ids.extend(summary["Id"] for summary in page["TraceSummaries"] if not summary.get("IsPartial"))
    documents = {}
    for first in range(0, len(ids), 5):
        for trace in client.batch_get_traces(TraceIds=ids[first:first + 5])["Traces"]:
            documents[trace["Id"]] = [json.loads(segment["Document"]) for segment in trace["Segments"]]
    graph = client.get_service_graph(StartTime=start, EndTime=end)
    return {"traces": documents, "services": [service.get("Name") for service in graph["Services"]]}


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "remote-invoke":
        result = remote_invoke(sys.argv[2], sys.argv[3], sys.argv[4])
    elif step == "logs":
        result = logs(sys.argv[2])
    else:
        result = traces()
    print(json.dumps(result))
