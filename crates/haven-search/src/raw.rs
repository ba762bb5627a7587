//! Long number lists stored as one block of bytes (little-endian), for the stored index: a
//! format like postcard otherwise writes and reads them one number at a time, which is most of
//! the time a million-service index takes to read. Use as `#[serde(with = "crate::raw::u32s")]`.

use std::fmt;

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};

/// `Vec<u32>` as bytes.
pub(crate) mod u32s {
    use super::*;

    pub fn serialize<S: Serializer>(values: &[u32], serializer: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        serializer.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
        deserializer.deserialize_bytes(U32s)
    }

    struct U32s;

    impl Visitor<'_> for U32s {
        type Value = Vec<u32>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes holding little-endian u32s")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<u32>, E> {
            let words = bytes.chunks_exact(4);
            if !words.remainder().is_empty() {
                return Err(E::custom("a u32 list whose length is not a multiple of 4"));
            }
            Ok(words
                .map(|w| <[u8; 4]>::try_from(w).map_or(0, u32::from_le_bytes))
                .collect())
        }
    }
}

/// `Vec<u8>` as bytes (serde's own form is a list of numbers).
pub(crate) mod u8s {
    use super::*;

    pub fn serialize<S: Serializer>(values: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(values)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_bytes(U8s)
    }

    struct U8s;

    impl Visitor<'_> for U8s {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
            Ok(bytes.to_vec())
        }
    }
}

/// `Vec<Vec<u32>>` as a list of byte blocks.
pub(crate) mod u32_lists {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Serialize)]
    struct Ref<'a>(#[serde(with = "super::u32s")] &'a [u32]);

    #[derive(Deserialize)]
    struct Owned(#[serde(with = "super::u32s")] Vec<u32>);

    pub fn serialize<S: Serializer>(lists: &[Vec<u32>], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(lists.len()))?;
        for list in lists {
            seq.serialize_element(&Ref(list))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Vec<u32>>, D::Error> {
        let lists = Vec::<Owned>::deserialize(deserializer)?;
        Ok(lists.into_iter().map(|Owned(list)| list).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Lists {
        #[serde(with = "super::u32s")]
        words: Vec<u32>,
        #[serde(with = "super::u8s")]
        bytes: Vec<u8>,
        #[serde(with = "super::u32_lists")]
        lists: Vec<Vec<u32>>,
    }

    #[test]
    fn lists_round_trip_and_a_ragged_block_is_refused() {
        let lists = Lists {
            words: vec![0, 1, u32::MAX, 70_000],
            bytes: vec![3, 0, 255],
            lists: vec![vec![], vec![5, 6]],
        };
        let stored = postcard::to_stdvec(&lists).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<Lists>(&stored).ok(), Some(lists));
        // Block lengths are the first byte: 16 bytes of words, cut to 15.
        let mut ragged = stored.clone();
        ragged[0] = 15;
        ragged.remove(1);
        assert!(postcard::from_bytes::<Lists>(&ragged).is_err());
    }
}
