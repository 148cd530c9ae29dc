"""The keyforge subcommands, one module each, wired in keyforge.cli: each module's docstring
describes it, `add_arguments(parser)` adds its arguments, `run(args) -> int` runs it. The
contract runner's command is keyforge.contract.command.
"""
