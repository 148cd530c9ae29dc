"""`python -m keyforge.contract`: run the contract suite (see keyforge.contract)."""

import sys

from keyforge.contract.command import main

sys.exit(main())
