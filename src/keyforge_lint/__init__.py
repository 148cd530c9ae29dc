"""cfn-lint rules for KMS keys (AWS::KMS::Key and Keyforge::KMS::Key)."""
