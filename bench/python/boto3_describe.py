"""The boto3 side of the DescribeInstances benchmark: N sequential calls in one process."""
import json
import sys
import time

import boto3

count = int(sys.argv[1])
ec2 = boto3.client("ec2")  # endpoint, region and credentials from the environment, as for ncaas
ec2.describe_instances()  # first call outside the timing: boto3 loads its models lazily
start = time.perf_counter()
for _ in range(count):
    reservations = ec2.describe_instances()["Reservations"]
seconds = time.perf_counter() - start
instances = sum(len(r["Instances"]) for r in reservations)
print(json.dumps({"calls": count, "instances": instances, "total_s": seconds, "per_call_ms": seconds * 1000 / count}))
