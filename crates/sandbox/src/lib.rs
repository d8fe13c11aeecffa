//! Runs untrusted Python in a fresh, locked-down Linux sandbox.
