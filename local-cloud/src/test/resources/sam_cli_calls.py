"""Replays, call by call, what the SAM CLI (1.164.0) sends for `sam deploy --resolve-s3`, `sam remote invoke`,
`sam logs`, `sam traces` and `sam delete --no-prompts`, with boto3 (botocore and s3transfer, as the SAM CLI uses
them) pointed at AWS_ENDPOINT_URL. Prints what each step read, as JSON.

  deploy STACK BUILD_DIR                      samcli/lib/bootstrap/bootstrap.py and
                                              samcli/lib/utils/managed_cloudformation_stack.py (the managed stack
                                              aws-sam-cli-managed-default through a change set, its SourceBucket output
                                              and ManagedStackSource tag), samcli/lib/package (each function folder
                                              zipped, keyed by its MD5, head_object then s3transfer's upload, multipart
                                              from 8 MiB; the template as <md5>.template), samcli/lib/deploy/deployer.py
                                              (CREATE or UPDATE change set from the TemplateURL, its waiter, the
                                              changes, the last event, execute, stack events until the stack's final
                                              one, the stack waiter, the outputs)
  delete STACK                                samcli/lib/delete (termination protection, the original template and
                                              its MD5, head_object and delete_object of each artifact, delete_stack
                                              with RetainResources=[], its waiter)

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
import hashlib
import json
import os
import re
import sys
import tempfile
import time
import zipfile

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

LAMBDA_TYPE = "AWS::Lambda::Function"
MANAGED_STACK = "aws-sam-cli-managed-default"
MANAGED_TAG = {"Key": "ManagedStackSource", "Value": "AwsSamCli"}
# samcli/lib/bootstrap/bootstrap.py: _get_stack_template, sent as json.dumps.
MANAGED_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Transform": "AWS::Serverless-2016-10-31",
    "Description": "Managed Stack for AWS SAM CLI",
    "Metadata": {"SamCliInfo": {"version": "1.164.0", "installationId": "unknown"}},
    "Resources": {
        "SamCliSourceBucket": {"Type": "AWS::S3::Bucket", "Properties": {
            "PublicAccessBlockConfiguration": {"BlockPublicPolicy": "true", "BlockPublicAcls": "true",
                                               "IgnorePublicAcls": "true", "RestrictPublicBuckets": "true"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
            "VersioningConfiguration": {"Status": "Enabled"},
            "Tags": [MANAGED_TAG]}},
        "SamCliSourceBucketBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": {"Ref": "SamCliSourceBucket"},
            "PolicyDocument": {"Statement": [
                {"Action": ["s3:GetObject"], "Effect": "Allow",
                 "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::",
                                                {"Ref": "SamCliSourceBucket"}, "/*"]]},
                 "Principal": {"Service": "serverlessrepo.amazonaws.com"},
                 "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}},
                {"Action": ["s3:*"], "Effect": "Deny",
                 "Resource": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::",
                                                 {"Ref": "SamCliSourceBucket"}]]},
                              {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::",
                                                 {"Ref": "SamCliSourceBucket"}, "/*"]]}],
                 "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}},
    "Outputs": {"SourceBucket": {"Value": {"Ref": "SamCliSourceBucket"}}}}
EIGHT_MIB = 8 * 1024 * 1024
FINAL = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "CREATE_FAILED",
         "UPDATE_FAILED", "ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED")


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


def managed_bucket():
    cloudformation = boto3.client("cloudformation")
    try:
        stack = cloudformation.describe_stacks(StackName=MANAGED_STACK)["Stacks"][0]
    except ClientError:
        created = cloudformation.create_change_set(
            StackName=MANAGED_STACK, TemplateBody=json.dumps(MANAGED_TEMPLATE), Tags=[MANAGED_TAG],
            ChangeSetType="CREATE", ChangeSetName="InitialCreation", Capabilities=["CAPABILITY_IAM"], Parameters=[])
        cloudformation.get_waiter("change_set_create_complete").wait(
            ChangeSetName="InitialCreation", StackName=MANAGED_STACK, WaiterConfig={"Delay": 15, "MaxAttempts": 60})
        cloudformation.execute_change_set(ChangeSetName="InitialCreation", StackName=MANAGED_STACK)
        cloudformation.get_waiter("stack_create_complete").wait(
            StackName=created["StackId"], WaiterConfig={"Delay": 15, "MaxAttempts": 60})
        stack = cloudformation.describe_stacks(StackName=MANAGED_STACK)["Stacks"][0]
    if MANAGED_TAG not in stack["Tags"]:
        raise SystemExit("the managed stack lacks its ManagedStackSource tag: " + json.dumps(stack["Tags"]))
    return next(output["OutputValue"] for output in stack["Outputs"] if output["OutputKey"] == "SourceBucket")


def upload(s3, bucket, key, path):
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return False
    except ClientError:
        s3.upload_file(path, bucket, key, ExtraArgs={"ServerSideEncryption": "AES256"},
                       Config=TransferConfig(multipart_threshold=EIGHT_MIB, multipart_chunksize=EIGHT_MIB))
        return True


def folder_md5(folder):
    digest = hashlib.md5()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode())
            with open(path, "rb") as content:
                digest.update(hashlib.md5(content.read()).digest())
    return digest.hexdigest()


def package(build_dir, bucket):
    s3 = boto3.client("s3")
    with open(os.path.join(build_dir, "template.yaml")) as source:
        template = source.read()
    uploads = {}
    for logical_id in re.findall(r"CodeUri: (\S+)", template):
        folder = os.path.join(build_dir, logical_id)
        key = folder_md5(folder)
        archive = os.path.join(tempfile.mkdtemp(), "data-" + key + ".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for root, _, files in os.walk(folder):
                for name in files:
                    path = os.path.join(root, name)
                    zipped.write(path, os.path.relpath(path, folder))
        uploads[key] = {"uploaded": upload(s3, bucket, key, archive), "size": os.path.getsize(archive)}
        template = template.replace("CodeUri: " + logical_id, "CodeUri: s3://" + bucket + "/" + key)
    template_key = hashlib.md5(template.encode("utf-8")).hexdigest() + ".template"
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".template") as written:
        written.write(template)
    upload(s3, bucket, template_key, written.name)
    return s3.meta.endpoint_url + "/" + bucket + "/" + template_key, uploads


def deploy(stack, build_dir):
    cloudformation = boto3.client("cloudformation")
    bucket = managed_bucket()
    template_url, uploads = package(build_dir, bucket)
    try:
        exists = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"] != "REVIEW_IN_PROGRESS"
    except ClientError as missing:
        if "Stack with id " + stack + " does not exist" not in str(missing):
            raise
        exists = False
    if exists:
        cloudformation.get_template_summary(StackName=stack)["Parameters"]
    change_set = cloudformation.create_change_set(
        ChangeSetName="samcli-deploy" + str(int(time.time())), StackName=stack, TemplateURL=template_url,
        ChangeSetType="UPDATE" if exists else "CREATE", Parameters=[], Description="Created by SAM CLI", Tags=[],
        Capabilities=["CAPABILITY_IAM"])
    cloudformation.get_waiter("change_set_create_complete").wait(
        ChangeSetName=change_set["Id"], StackName=stack, WaiterConfig={"Delay": 5})
    changes = []
    for page in cloudformation.get_paginator("describe_change_set").paginate(ChangeSetName=change_set["Id"],
                                                                             StackName=stack):
        changes.extend([change["ResourceChange"]["Action"], change["ResourceChange"]["LogicalResourceId"]]
                       for change in page["Changes"])
    marker = cloudformation.describe_stack_events(StackName=stack)["StackEvents"][0]["Timestamp"]
    cloudformation.execute_change_set(ChangeSetName=change_set["Id"], StackName=stack, DisableRollback=False)
    shown = []
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.5)
        newer = []
        for page in cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack):
            for event in page["StackEvents"]:
                if event["Timestamp"] <= marker:
                    break
                newer.append(event)
        newer.reverse()
        shown.extend(event["ResourceStatus"] + " " + event["LogicalResourceId"] for event in newer)
        if newer:
            marker = newer[-1]["Timestamp"]
        if any(event["ResourceType"] == "AWS::CloudFormation::Stack" and event["LogicalResourceId"] == stack
               and "IN_PROGRESS" not in event["ResourceStatus"] for event in newer):
            break
    cloudformation.get_waiter("stack_update_complete" if exists else "stack_create_complete").wait(
        StackName=stack, WaiterConfig={"Delay": 30, "MaxAttempts": 120})
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {"bucket": bucket, "uploads": uploads, "changes": changes, "events": shown,
            "status": described["StackStatus"],
            "outputs": {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}}


def delete(stack):
    cloudformation = boto3.client("cloudformation")
    s3 = boto3.client("s3")
    if cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["EnableTerminationProtection"]:
        raise SystemExit("termination protection is on")
    body = cloudformation.get_template(StackName=stack, TemplateStage="Original")["TemplateBody"]
    artifacts = re.findall(r"CodeUri: s3://([^/\s]+)/(\S+)", body)
    bucket = artifacts[0][0]
    deleted = []
    for key in [key for _, key in artifacts] + [hashlib.md5(body.encode("utf-8")).hexdigest() + ".template"]:
        try:
            s3.head_object(Bucket=bucket, Key=key)
            s3.delete_object(Bucket=bucket, Key=key)
            deleted.append(key)
        except ClientError:
            pass
    cloudformation.delete_stack(StackName=stack, RetainResources=[])
    cloudformation.get_waiter("stack_delete_complete").wait(StackName=stack, WaiterConfig={"Delay": 30})
    try:
        cloudformation.describe_stacks(StackName=stack)
        after = "present"
    except ClientError as gone:
        after = gone.response["Error"]["Message"]
    left = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {"deleted": deleted, "after": after, "left": [item["Key"] for item in left]}


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "deploy":
        result = deploy(sys.argv[2], sys.argv[3])
    elif step == "delete":
        result = delete(sys.argv[2])
    elif step == "remote-invoke":
        result = remote_invoke(sys.argv[2], sys.argv[3], sys.argv[4])
    elif step == "logs":
        result = logs(sys.argv[2])
    else:
        result = traces()
    print(json.dumps(result))
