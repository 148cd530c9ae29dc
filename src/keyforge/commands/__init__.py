"""The keyforge subcommands, one module each (wired in keyforge.cli): each has
`add_parser(subparsers)` and `run(args) -> int`. The contract runner's command is
keyforge.contract.command.
"""
