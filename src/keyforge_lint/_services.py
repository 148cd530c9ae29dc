"""Resource properties through which an AWS service encrypts with a KMS key.

AWS services integrated with KMS encrypt with symmetric encryption keys only;
an asymmetric or HMAC key there fails at deploy time or at first use.
"""

from __future__ import annotations

from collections.abc import Mapping

from keyforge_kms_key.keyspecs import KEY_SPECS, SYMMETRIC_KEY_SPEC, KeyKind, KeyUsage

# Property paths by resource type; "*" stands for each item of a list, "{}" for each
# value of a map. SAM resource types are here too: cfn-lint lints a SAM template as
# written (with its Globals merged into the resources), not as transformed.
SERVICE_KEY_PROPERTIES: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "AWS::AppConfig::ConfigurationProfile": (("KmsKeyIdentifier",),),
    "AWS::Athena::WorkGroup": (
        ("WorkGroupConfiguration", "ResultConfiguration", "EncryptionConfiguration", "KmsKey"),
    ),
    "AWS::Backup::BackupVault": (("EncryptionKeyArn",),),
    "AWS::Bedrock::Agent": (("CustomerEncryptionKeyArn",),),
    "AWS::CloudTrail::Trail": (("KMSKeyId",),),
    "AWS::CodeBuild::Project": (("EncryptionKey",),),
    "AWS::CodePipeline::Pipeline": (("ArtifactStore", "EncryptionKey", "Id"),),
    "AWS::DMS::Endpoint": (("KmsKeyId",),),
    "AWS::DMS::ReplicationInstance": (("KmsKeyId",),),
    "AWS::DocDB::DBCluster": (("KmsKeyId",),),
    "AWS::DynamoDB::GlobalTable": (("Replicas", "*", "SSESpecification", "KMSMasterKeyId"),),
    "AWS::DynamoDB::Table": (("SSESpecification", "KMSMasterKeyId"),),
    "AWS::EC2::Instance": (("BlockDeviceMappings", "*", "Ebs", "KmsKeyId"),),
    "AWS::EC2::LaunchTemplate": (
        ("LaunchTemplateData", "BlockDeviceMappings", "*", "Ebs", "KmsKeyId"),
    ),
    "AWS::EC2::Volume": (("KmsKeyId",),),
    "AWS::ECR::Repository": (("EncryptionConfiguration", "KmsKey"),),
    "AWS::ECS::Cluster": (("Configuration", "ManagedStorageConfiguration", "KmsKeyId"),),
    "AWS::EFS::FileSystem": (("KmsKeyId",),),
    "AWS::EKS::Cluster": (("EncryptionConfig", "*", "Provider", "KeyArn"),),
    "AWS::ElastiCache::ReplicationGroup": (("KmsKeyId",),),
    "AWS::ElastiCache::ServerlessCache": (("KmsKeyId",),),
    "AWS::Elasticsearch::Domain": (("EncryptionAtRestOptions", "KmsKeyId"),),
    "AWS::Events::EventBus": (("KmsKeyIdentifier",),),
    "AWS::FSx::FileSystem": (("KmsKeyId",),),
    "AWS::Glue::DataCatalogEncryptionSettings": (
        ("DataCatalogEncryptionSettings", "EncryptionAtRest", "SseAwsKmsKeyId"),
    ),
    "AWS::Glue::SecurityConfiguration": (
        ("EncryptionConfiguration", "S3Encryptions", "*", "KmsKeyArn"),
        ("EncryptionConfiguration", "CloudWatchEncryption", "KmsKeyArn"),
        ("EncryptionConfiguration", "JobBookmarksEncryption", "KmsKeyArn"),
    ),
    "AWS::ImageBuilder::Component": (("KmsKeyId",),),
    "AWS::Kendra::Index": (("ServerSideEncryptionConfiguration", "KmsKeyId"),),
    "AWS::Kinesis::Stream": (("StreamEncryption", "KeyId"),),
    "AWS::KinesisFirehose::DeliveryStream": (
        ("DeliveryStreamEncryptionConfigurationInput", "KeyARN"),
    ),
    "AWS::Lambda::EventSourceMapping": (("KmsKeyArn",),),
    "AWS::Lambda::Function": (
        ("KmsKeyArn",),
        ("Code", "SourceKMSKeyArn"),
        ("DurableConfig", "KMSKeyArn"),
    ),
    "AWS::Logs::LogGroup": (("KmsKeyId",),),
    "AWS::MemoryDB::Cluster": (("KmsKeyId",),),
    "AWS::MSK::Cluster": (("EncryptionInfo", "EncryptionAtRest", "DataVolumeKMSKeyId"),),
    "AWS::MWAA::Environment": (("KmsKey",),),
    "AWS::Neptune::DBCluster": (("KmsKeyId",),),
    "AWS::OpenSearchService::Domain": (("EncryptionAtRestOptions", "KmsKeyId"),),
    "AWS::RDS::DBCluster": (
        ("KmsKeyId",),
        ("PerformanceInsightsKmsKeyId",),
        ("MasterUserSecret", "KmsKeyId"),
    ),
    "AWS::RDS::DBInstance": (
        ("KmsKeyId",),
        ("PerformanceInsightsKMSKeyId",),
        ("MasterUserSecret", "KmsKeyId"),
    ),
    "AWS::Redshift::Cluster": (("KmsKeyId",),),
    "AWS::S3::Bucket": (
        (
            "BucketEncryption",
            "ServerSideEncryptionConfiguration",
            "*",
            "ServerSideEncryptionByDefault",
            "KMSMasterKeyID",
        ),
    ),
    "AWS::SageMaker::NotebookInstance": (("KmsKeyId",),),
    "AWS::SecretsManager::Secret": (("KmsKeyId",),),
    "AWS::Serverless::CapacityProvider": (("KmsKeyArn",),),
    "AWS::Serverless::Function": (
        ("KmsKeyArn",),
        ("SourceKMSKeyArn",),
        ("DurableConfig", "KMSKeyArn"),
        ("Events", "{}", "Properties", "KmsKeyArn"),
    ),
    "AWS::Serverless::SimpleTable": (("SSESpecification", "KMSMasterKeyId"),),
    "AWS::Serverless::StateMachine": (("Events", "{}", "Properties", "KmsKeyArn"),),
    "AWS::Serverless::WebFunction": (("KmsKeyArn",),),
    "AWS::SNS::Topic": (("KmsMasterKeyId",),),
    "AWS::SQS::Queue": (("KmsMasterKeyId",),),
    "AWS::StepFunctions::StateMachine": (("EncryptionConfiguration", "KmsKeyId"),),
    "AWS::Synthetics::Canary": (("ArtifactConfig", "S3Encryption", "KmsKeyArn"),),
    "AWS::Timestream::Database": (("KmsKeyId",),),
    "AWS::WorkSpaces::Workspace": (("VolumeEncryptionKey",),),
}


def service_key_refusal(key_spec: str) -> str | None:
    """Why an AWS service cannot encrypt with a key of this spec; None when it can."""
    info = KEY_SPECS.get(key_spec)
    if info is None or info.kind is KeyKind.SYMMETRIC:
        return None
    kind = "an HMAC" if info.kind is KeyKind.HMAC else "an asymmetric"
    return (
        f"{kind} key (KeySpec {key_spec}): AWS services accept only symmetric encryption "
        f"keys (KeySpec {SYMMETRIC_KEY_SPEC}, KeyUsage {KeyUsage.ENCRYPT_DECRYPT})"
    )
