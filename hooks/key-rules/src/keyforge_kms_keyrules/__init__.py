"""Keyforge::KMS::KeyRules: the Keyforge rules as a CloudFormation hook (handlers.hook).

The hook judges with the provider's rule registry (keyforge_kms_key.rules, through
keyforge_kms_key.judgement). In a development install keyforge_kms_key is installed. In the
hook's Lambda bundle it travels inside this package: _provider/keyforge_kms_key is a link to
src/keyforge_kms_key, which `cfn submit` copies as the files it points to, and the folder
_provider is put on the import path here when keyforge_kms_key is not importable otherwise.
"""

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("keyforge_kms_key") is None:
    sys.path.append(str(Path(__file__).resolve().parent / "_provider"))
