"""Deploys of fresh stacks against a running moto (AWS_ENDPOINT_URL), timed from the first call
to CREATE_COMPLETE, side by side in one run:

  ncaas    `ncaas deploy <blueprint>` of a stack never deployed, with a fresh NCAAS_HOME: the whole
           process: render, checks, change set (which validates the template: a deploy sends no
           ValidateTemplate), execute, wait, convergence of what moto skips, folder markers;
  aws      `aws cloudformation deploy` of the same rendered template;
  floor    boto3 making ncaas's API calls, back to back, in this one process.

Usage: deploy_bench.py NCAAS_BIN BLUEPRINT_FILE RUNS. Prints one JSON object with the mean
milliseconds of each ({"ncaas_ms", "aws_ms", "floor_ms", "runs"}, and medians).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

ncaas_bin, blueprint_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
WARMUP = 2
source = json.load(open(blueprint_file))
users = sorted({u for a in source.get("UXData", {}).get("Affiliates", []) for u in a.get("UserNames", [])})
work = tempfile.mkdtemp(prefix="ncaas-bench-deploy-")
config = Config(retries={"max_attempts": 1})
clients = {name: boto3.client(name, config=config) for name in ("cloudformation", "iam", "s3", "sqs")}
cf, iam, s3, sqs = (clients[n] for n in ("cloudformation", "iam", "s3", "sqs"))
for user in users:
    try:
        iam.create_user(UserName=user)
    except iam.exceptions.EntityAlreadyExistsException:
        pass


def blueprint(name):
    """A copy of the blueprint named `name` in work/blueprints; returns its template path."""
    folder = os.path.join(work, "blueprints", name)
    os.makedirs(folder, exist_ok=True)
    # The stack alone (the job manager is measured apart): the same template for both tools.
    doc = dict(source, PipelineName=name, ncaas=dict(source.get("ncaas", {}), manager={"enabled": False}))
    with open(os.path.join(folder, "stack_config_template.json"), "w") as f:
        json.dump(doc, f, indent=4)
    template = os.path.join(work, name + ".json")
    subprocess.run([ncaas_bin, "render", name, "--file", template], cwd=work, check=True, stdout=subprocess.DEVNULL)
    return template


def timed(run):
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def ncaas(name, *flags, home):
    """`ncaas deploy NAME FLAGS` with its own NCAAS_HOME."""
    subprocess.run([ncaas_bin, "deploy", name, *flags], cwd=work, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, NCAAS_HOME=home))


def cold_home(i):
    """A fresh, empty NCAAS_HOME."""
    return tempfile.mkdtemp(prefix=f"cold-{i}-", dir=work)


def aws(name, template):
    subprocess.run(["aws", "cloudformation", "deploy", "--stack-name", name, "--template-file", template,
                    "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"], check=True, stdout=subprocess.DEVNULL)


def floor(name, template):
    """ncaas deploy's calls, in its order, without its process start or its own work."""
    body = open(template).read()
    doc = json.loads(body)
    affiliates = [(a["AffiliateName"], a.get("UserNames", [])) for a in source.get("UXData", {}).get("Affiliates", [])]
    try:
        cf.describe_stacks(StackName=name)
    except cf.exceptions.ClientError:
        pass
    for _, names in affiliates:
        for user in names:
            iam.get_user(UserName=user)
    try:
        s3.head_bucket(Bucket=name)
    except s3.exceptions.ClientError:
        pass
    created = cf.create_change_set(StackName=name, TemplateBody=body, ChangeSetName="floor", ChangeSetType="CREATE",
                                   Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
                                   Tags=[{"Key": "ncaas:analysis", "Value": name}, {"Key": "ncaas:blueprint-commit", "Value": "none"}])
    while cf.describe_change_set(ChangeSetName=created["Id"])["Status"] not in ("CREATE_COMPLETE", "FAILED"):
        pass
    cf.execute_change_set(ChangeSetName=created["Id"])
    while cf.describe_stacks(StackName=created["StackId"])["Stacks"][0]["StackStatus"].endswith("_IN_PROGRESS"):
        pass
    cf.describe_stacks(StackName=name)
    resources = cf.describe_stack_resources(StackName=name)["StackResources"]
    queue_url = next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "JobQueue")
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn", "Policy"])["Attributes"]["QueueArn"]
    account = queue_arn.split(":")[4]

    def resolved(value):
        if isinstance(value, dict):
            if "Fn::Sub" in value:
                return (value["Fn::Sub"].replace("${AWS::Partition}", "aws").replace("${AWS::Region}", "us-east-1")
                        .replace("${AWS::AccountId}", account))
            if "Fn::GetAtt" in value:
                return queue_arn
            return {k: resolved(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolved(v) for v in value]
        return value

    policy = json.dumps(resolved(doc["Resources"]["JobQueuePolicy"]["Properties"]["PolicyDocument"]))
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": policy})
    s3.get_bucket_notification_configuration(Bucket=name)
    s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={"QueueConfigurations": [
        {"Id": a + "-submissions", "QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"],
         "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": a + "/submissions/"}, {"Name": "suffix", "Value": "submit.json"}]}}}
        for a, _ in affiliates]})
    for affiliate, names in affiliates:
        group = name + "-" + affiliate
        for user in names:
            iam.list_user_policies(UserName=user)
            iam.list_groups_for_user(UserName=user)
        iam.create_group(GroupName=group)
        stem = "".join(part[:1].upper() + part[1:] for part in "".join(c if c.isalnum() else " " for c in affiliate).split())
        access = json.dumps(resolved(doc["Resources"]["Affiliate" + stem + "Group"]["Properties"]["Policies"][0]["PolicyDocument"]))
        iam.put_group_policy(GroupName=group, PolicyName=group + "-access", PolicyDocument=access)
        for user in names:
            iam.add_user_to_group(UserName=user, GroupName=group)
    profile = next(r["PhysicalResourceId"] for r in resources if r.get("LogicalResourceId") == "JobInstanceProfile")
    role = iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"][0]["RoleName"]
    iam.get_role_policy(RoleName=role, PolicyName=name + "-job-instance")
    instance_access = json.dumps(resolved(doc["Resources"]["JobInstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]))
    iam.put_role_policy(RoleName=role, PolicyName=name + "-job-instance", PolicyDocument=instance_access)
    for affiliate, _ in affiliates:
        for folder in ("inputs/", "configs/", "submissions/", "results/"):
            s3.put_object(Bucket=name, Key=affiliate + "/" + folder, Body=b"")


times = {"ncaas": [], "aws": [], "floor": []}
try:
    for i in range(WARMUP + runs):
        names = {tool: f"bench-{tool}-{i}" for tool in times}
        templates = {tool: blueprint(n) for tool, n in names.items()}
        for tool, run in (("ncaas", lambda: ncaas(names["ncaas"], home=cold_home(i))),
                          ("aws", lambda: aws(names["aws"], templates["aws"])),
                          ("floor", lambda: floor(names["floor"], templates["floor"]))):
            elapsed = timed(run)
            if i >= WARMUP:
                times[tool].append(elapsed)
finally:
    shutil.rmtree(work, ignore_errors=True)
print(json.dumps({"ncaas_ms": statistics.mean(times["ncaas"]), "aws_ms": statistics.mean(times["aws"]),
                  "floor_ms": statistics.mean(times["floor"]), "runs": runs,
                  "ncaas_median_ms": statistics.median(times["ncaas"]), "aws_median_ms": statistics.median(times["aws"]),
                  "floor_median_ms": statistics.median(times["floor"])}))
