import os

import boto3
import botocore.config
from botocore.config import Config

SHORT = Config(connect_timeout=2, read_timeout=10, retries={"mode": "standard", "max_attempts": 3})
RETRIES_ONLY = Config(retries={"max_attempts": 10})


def s3_default():
    # ruleid: py-boto3-client-no-timeout
    return boto3.client("s3")


def sqs_region(region):
    # ruleid: py-boto3-client-no-timeout
    return boto3.client("sqs", region_name=region, endpoint_url=os.environ.get("SQS_URL"))


def dynamo_table(name):
    # ruleid: py-boto3-client-no-timeout
    return boto3.resource("dynamodb").Table(name)


def from_session(profile):
    session = boto3.Session(profile_name=profile)
    # ruleid: py-boto3-client-no-timeout
    return session.client("secretsmanager")


def from_session_chain():
    # ruleid: py-boto3-client-no-timeout
    return boto3.session.Session().client("sts")


class Store:
    def __init__(self, session):
        self.session = session
        # ruleid: py-boto3-client-no-timeout
        self.s3 = self.session.client("s3")


def retries_but_no_timeout():
    # ruleid: py-boto3-client-no-timeout
    return boto3.client("kinesis", config=Config(retries={"mode": "adaptive"}))


def module_config_without_timeout():
    # ruleid: py-boto3-client-no-timeout
    return boto3.client("sns", config=RETRIES_ONLY)


def params_without_config(region, endpoint):
    params = {"region_name": region}
    if endpoint:
        params["endpoint_url"] = endpoint
    # ruleid: py-boto3-client-no-timeout
    return boto3.client("dynamodb", **params)


def ok_inline_timeouts():
    # ok: py-boto3-client-no-timeout
    return boto3.client("s3", config=botocore.config.Config(connect_timeout=3, read_timeout=20))


def ok_read_timeout_only():
    # ok: py-boto3-client-no-timeout
    return boto3.client("bedrock-runtime", config=Config(read_timeout=300))


def ok_module_config():
    # ok: py-boto3-client-no-timeout
    return boto3.client("sqs", config=SHORT)


def ok_local_config(region):
    cfg = Config(connect_timeout=1, read_timeout=5)
    session = boto3.Session(region_name=region)
    # ok: py-boto3-client-no-timeout
    return session.client("s3", config=cfg)


def ok_config_from_elsewhere(settings):
    # ok: py-boto3-client-no-timeout
    return boto3.client("s3", config=settings.boto_config)


def ok_config_factory():
    # ok: py-boto3-client-no-timeout
    return boto3.client("s3", config=make_boto_config())


def ok_kwargs_with_config(read_timeout=None):
    kwargs = {"region_name": "eu-west-1"}
    if read_timeout:
        kwargs["config"] = Config(read_timeout=read_timeout)
    # ok: py-boto3-client-no-timeout
    return boto3.client("bedrock-runtime", **kwargs)


def ok_other_client(api):
    # ok: py-boto3-client-no-timeout
    return api.client("s3")


def ok_session_only(profile):
    # the Session itself opens nothing; its clients are what is checked
    # ok: py-boto3-client-no-timeout
    return boto3.Session(profile_name=profile)


def aliased_import(region):
    from boto3 import client as AwsClient

    # ruleid: py-boto3-client-no-timeout
    return AwsClient(service_name="bedrock-runtime", region_name=region)
