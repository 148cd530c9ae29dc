"""The contract runner: `cfn test`, the CloudFormation contract suite, without Docker or AWS.

The parts: `project` (the project, its input sets and each pass's scratch copy),
`processes` (the child processes and their clients), `runner` (one run, pass
by pass), `report` (what the suite and the handlers said) and `command` (the
command line, whose help tells how a run works); `standin` and `cfn_local` are
the child processes' own entry points.

The package imports none of them: the child processes start from here, and
`cfn_local` needs neither moto nor boto3.
"""
