"""The SQLCipher vault: connection, migrations, op log, materialized records, search, audit.

The only package that imports sqlcipher3.
"""
