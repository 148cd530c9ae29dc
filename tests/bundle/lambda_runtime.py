"""Stands in for the Lambda runtime: the bundle's entrypoint in an interpreter that sees the bundle.

Run as `python -I -S lambda_runtime.py BUNDLE_DIR ENTRYPOINT`: no site-packages, no user site,
no PYTHON* variables, not even this file's folder; the standard library and BUNDLE_DIR are all
it can import. Prints one JSON line describing itself, then reads HandlerRequest events, one JSON
line each, and answers each with the entrypoint's ProgressEvent; at the end of its input, one line
naming every module it loaded and the file it came from, and every file it compiled from source
(where no bytecode could be read for it).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from typing import Any

# Only the answers go to the real standard output; anything printed or logged goes to stderr.
answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
sys.stdout = sys.stderr


def say(value: object) -> None:
    answers.write(json.dumps(value) + "\n")
    answers.flush()


compiled_from_source: list[str] = []
source_to_code = importlib.machinery.SourceFileLoader.source_to_code


def recording_source_to_code(self: Any, data: Any, path: Any, **options: Any) -> Any:
    compiled_from_source.append(str(path))
    return source_to_code(self, data, path, **options)


importlib.machinery.SourceFileLoader.source_to_code = recording_source_to_code  # type: ignore[method-assign]

bundle, entrypoint_name = sys.argv[1], sys.argv[2]
sys.path.insert(0, bundle)
say(
    {
        "version": list(sys.version_info[:2]),
        "path": sys.path,
        # What the test's own interpreter has and Lambda would not.
        "visible": {
            name: importlib.util.find_spec(name) is not None
            for name in ("keyforge", "keyforge_lint", "moto", "cryptography", "pytest", "yaml")
        },
    }
)
module_name, _, attribute = entrypoint_name.rpartition(".")
entrypoint = getattr(importlib.import_module(module_name), attribute)
for line in sys.stdin:
    say(entrypoint(json.loads(line), None))
say(
    {
        "modules": {
            name: getattr(module, "__file__", None) for name, module in sorted(sys.modules.items())
        },
        "compiled_from_source": compiled_from_source,
    }
)
