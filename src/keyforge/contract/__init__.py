"""The contract runner: `cfn test`, the CloudFormation contract suite, without Docker or AWS.

`cfn test` needs three things from AWS: the function to invoke (normally
`sam local start-lambda`, which needs Docker), STS (to learn the account and
fetch a session token) and whatever the handlers call. Here one child process
(`keyforge.contract.standin`) provides all three: an embedded KMS on a free loopback port,
which answers STS too, and a Lambda Invoke endpoint on another free port that
calls the entrypoint named in `.rpdk-config` in-process, with AWS_ENDPOINT_URL
pointing the handlers at the embedded KMS. `cfn` itself runs in a second child
(`keyforge.contract.cfn_local`) whose STS endpoint points at the embedded KMS.

Each input set (`inputs/inputs_N_{create,update,invalid}.json`) runs as its own
pass, so one failing set does not hide the others; the pass without inputs lets
the suite generate models from the schema (`overrides.json` pins values there).
Every pass runs in a scratch copy of the project (.rpdk-config, the schema,
overrides.json and that one input set), and the embedded KMS is emptied between
passes.

The suite's generator fills in every writable property of the schema at once,
and `overrides.json` can pin a property's value but cannot leave it out. So a
schema with properties that exclude each other (Keyforge's KeyPolicy and its
policy builder properties) can only be generated for with one side left out of
the schema copy the generated pass hands the suite (`omit`); the input sets
cover the other side.

    python -m keyforge.contract                    # every input set in inputs/
    python -m keyforge.contract --generated --omit KeyPolicy   # ... then the generated pass
    python -m keyforge.contract --no-inputs --omit KeyPolicy   # only the generated pass
    python -m keyforge.contract --set 2 -- -k contract_delete_read

The parts: `project` (the project, its input sets and each pass's scratch copy),
`processes` (the child processes and the stand-in client), `runner` (one run,
pass by pass), `report` (what the suite and the handlers said) and `command`
(the command line); `standin` and `cfn_local` are the child processes' own
entry points.

The package imports none of them: the child processes start from here, and
`cfn_local` needs neither moto nor boto3.
"""
