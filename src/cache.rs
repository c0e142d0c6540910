//! Caches kept between runs under the site's `.quorum-cache/`: a header naming
//! the layout and the binary's build ([`cache_header`]), then MessagePack. A cache
//! that cannot be read (missing, damaged, written by another build of
//! quorum) is simply rebuilt.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;

/// The first line of a cache file: `$layout` (the cache's name and layout
/// version), then what identifies the quorum binary: the crate version and
/// the build id `build.rs` computes from the source, the themes and
/// Cargo.lock. Any change to the code gives another header, so a cache
/// written by another build is never read (and parsed notes from older
/// parsing code are never served as current).
macro_rules! cache_header {
    ($layout:literal) => {
        concat!(
            $layout,
            " ",
            env!("CARGO_PKG_VERSION"),
            "+",
            env!("QUORUM_BUILD_ID"),
            "\n"
        )
    };
}
pub(crate) use cache_header;

/// A stable 64-bit hash of `bytes` (xxh3: the same on every platform,
/// toolchain and run, unlike `std`'s `DefaultHasher`).
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A stable hasher for values built from strings and numbers: feeds each
/// part with its length, so `("ab", "c")` and `("a", "bc")` differ.
#[derive(Default)]
pub(crate) struct StableHasher(xxhash_rust::xxh3::Xxh3);

impl StableHasher {
    /// A new hasher.
    pub(crate) fn new() -> StableHasher {
        StableHasher::default()
    }
    /// Feeds a string.
    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64);
        self.0.update(s.as_bytes());
        self
    }
    /// Feeds a number.
    pub(crate) fn u64(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }
    /// The hash.
    pub(crate) fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The value saved at `path` under `header`, if it can be read.
pub(crate) fn read<T: DeserializeOwned>(path: &Path, header: &str) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(header.as_bytes())?;
    rmp_serde::from_slice(body).ok()
}

/// Saves `value` at `path` under `header` (written beside it, then renamed
/// over it, so a reader never sees half a file).
pub(crate) fn write<T: Serialize>(path: &Path, header: &str, value: &T) -> std::io::Result<()> {
    let mut bytes = header.as_bytes().to_vec();
    rmp_serde::encode::write(&mut bytes, value).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprint_has_a_build_id_and_hashes_are_stable() {
        let header = super::cache_header!("test-cache 1");
        let build = header.strip_prefix("test-cache 1 ").unwrap();
        let (version, id) = build.strip_suffix('\n').unwrap().split_once('+').unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        assert_eq!(id.len(), 16);
        // xxh3 of fixed bytes never changes (a DefaultHasher value may).
        assert_eq!(
            super::hash64(b"quorum"),
            xxhash_rust::xxh3::xxh3_64(b"quorum")
        );
        let mut a = super::StableHasher::new();
        a.str("ab").str("c");
        let mut b = super::StableHasher::new();
        b.str("a").str("bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn round_trip_and_other_headers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/c.bin");
        super::write(&p, "h1\n", &vec![1u32, 2, 3]).unwrap();
        assert_eq!(super::read::<Vec<u32>>(&p, "h1\n"), Some(vec![1, 2, 3]));
        assert_eq!(
            super::read::<Vec<u32>>(&p, "h2\n"),
            None,
            "another version rebuilds"
        );
        std::fs::write(&p, "h1\ngarbage").unwrap();
        assert_eq!(
            super::read::<Vec<u32>>(&p, "h1\n"),
            None,
            "a damaged cache is ignored"
        );
    }
}
