"""The Lambda hook's handler in this bundle: the same judgement, answered as a Lambda hook.

AWS::CloudFormation::LambdaHook's function (hooks/lambda-hook.yaml) runs this hook's bundle
with the handler `keyforge_kms_keyrules.lambda_hook.handler`, which is
`keyforge_kms_key.lambda_hook.handler`.
"""

from keyforge_kms_key.lambda_hook import handler

__all__ = ["handler"]
