//! Content hashes: the fast hash behind article body hashes and the
//! signatures of outputs (see [`crate::project`]). Stable within a process,
//! which is all an incremental rebuild needs.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

/// A hash of everything an output is made from, built up piece by piece.
/// Two outputs with equal signatures have equal bytes.
///
/// The pieces are gathered as bytes and hashed once: a site has tens of
/// thousands of outputs, each signed from a few dozen small values, and a
/// streaming hasher's state costs more to set up than that to hash.
#[derive(Clone, Default)]
pub struct Signature(Bytes);

/// The `Hasher` that only gathers what it is given.
#[derive(Clone, Default)]
struct Bytes(Vec<u8>);

impl Hasher for Bytes {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        xxh3_64(&self.0)
    }
}

impl Signature {
    /// A signature of an output of one kind (`"article"`, `"feed"`…); the
    /// kind keeps two different outputs made from the same values apart.
    pub fn new(kind: &str) -> Signature {
        let mut bytes = Bytes(Vec::with_capacity(256));
        kind.hash(&mut bytes);
        Signature(bytes)
    }

    /// Adds a value.
    pub fn add(&mut self, value: impl Hash) -> &mut Signature {
        value.hash(&mut self.0);
        self
    }

    /// The signature.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The hash of one value.
pub fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_values_both_count() {
        let a = Signature::new("page").add("x").add(1u64).finish();
        assert_eq!(a, Signature::new("page").add("x").add(1u64).finish());
        assert_ne!(a, Signature::new("feed").add("x").add(1u64).finish());
        assert_ne!(a, Signature::new("page").add("x").add(2u64).finish());
        assert_eq!(hash_of("same"), hash_of("same"));
    }
}
