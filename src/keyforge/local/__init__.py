"""The local runtime: the provider's handlers run as CloudFormation and Lambda run them, on this
machine (the embedded KMS they call is keyforge.embedded_kms).
"""
