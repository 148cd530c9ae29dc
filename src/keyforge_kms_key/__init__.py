"""Keyforge::KMS::Key, the CloudFormation resource provider."""
