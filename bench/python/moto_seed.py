"""Starts nothing: seeds a running moto (AWS_ENDPOINT_URL) with a few instances to describe."""
import sys

import boto3

count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ec2 = boto3.client("ec2")
image = ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=count, MaxCount=count,
                  TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "ncaas:bench", "Value": "1"}]}])
