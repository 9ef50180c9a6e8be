"""Keys, key wrapping, signatures and MACs. Only `cryptography` primitives, nothing home-made."""
