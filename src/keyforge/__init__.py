"""The keyforge command."""
