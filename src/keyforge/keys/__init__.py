"""The command side's cryptography, with `cryptography`: public keys checked, key material checked
and wrapped, and keys used for their purpose. The Lambda bundle holds none of it.
"""
