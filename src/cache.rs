//! Caches kept between runs under the site's `.quorum-cache/`: a header naming
//! the layout and quorum's version, then MessagePack. A cache that cannot be
//! read (missing, damaged, another version) is simply rebuilt.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;

/// The value saved at `path` under `header`, if it can be read.
pub fn read<T: DeserializeOwned>(path: &Path, header: &str) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(header.as_bytes())?;
    rmp_serde::from_slice(body).ok()
}

/// Saves `value` at `path` under `header` (written beside it, then renamed
/// over it, so a reader never sees half a file).
pub fn write<T: Serialize>(path: &Path, header: &str, value: &T) -> std::io::Result<()> {
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
