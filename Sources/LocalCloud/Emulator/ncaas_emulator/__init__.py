"""The local cloud's AWS endpoint: moto, extended in-process so that EC2 behaves like EC2 from the inside.

Every EC2 instance on this endpoint is real, whoever launched it (ncaas, the AWS CLI, boto3,
CloudFormation's AWS::EC2::Instance, an Auto Scaling group): a podman container named after its
instance id, with its own loopback address, booted like cloud-init boots an EC2 instance, with an
instance metadata service (IMDSv2) of its own. See `machines` for the lifecycle, `moto_hooks` for
where moto's backends are extended, `metadata` for the metadata service, `catalogue` for the base
images and their public SSM parameters, and `__main__` for the command line.
"""
