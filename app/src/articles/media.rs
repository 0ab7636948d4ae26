//! Uploaded images (article covers): checked, then kept under the media directory by the hash
//! of their content and served under `/media/` (immutable: a new image is a new name).
//!
//! The type is read from the bytes, never from the file name or the browser's word: JPEG, PNG,
//! WebP and AVIF only (SVG can carry scripts, so it is refused). The size and the dimensions
//! are bounded, and the dimensions are kept so pages reserve the image's room before it loads.

use sha2::{Digest, Sha256};
use std::path::Path;

/// The largest cover accepted, in bytes (the request limit is 2 MiB with the form around it).
pub const MAX_BYTES: usize = 1_536 * 1024;
/// Covers are at least this wide, and at most this many pixels on a side.
pub const MIN_WIDTH: usize = 600;
pub const MAX_SIDE: usize = 6_000;

/// A stored image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Its address: `/media/{hash}.{ext}`.
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// Why an upload was refused (the message names the rule).
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("Choisissez une image.")]
    Empty,
    #[error("L'image dépasse 1,5 Mo : réduisez-la avant de l'envoyer.")]
    TooLarge,
    #[error("Format refusé : envoyez une image JPEG, PNG, WebP ou AVIF.")]
    Type,
    #[error("L'image doit mesurer au moins 600 pixels de large et au plus 6 000 pixels de côté.")]
    Dimensions,
    #[error("the image could not be written: {0}")]
    Io(#[from] std::io::Error),
}

/// The file extension of an accepted image, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("jpg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("png"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("webp"),
        [
            _,
            _,
            _,
            _,
            b'f',
            b't',
            b'y',
            b'p',
            b'a',
            b'v',
            b'i',
            b'f',
            ..,
        ] => Some("avif"),
        _ => None,
    }
}

/// The content type served for a stored file's extension.
pub fn content_type(ext: &str) -> Option<&'static str> {
    match ext {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "webp" => Some("image/webp"),
        "avif" => Some("image/avif"),
        _ => None,
    }
}

/// Whether `name` is one of our stored files' names (`{32 hex}.{ext}`): anything else under
/// `/media/` is a 404, so no path can leave the directory.
pub fn is_stored_name(name: &str) -> bool {
    let Some((hash, ext)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 32
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && content_type(ext).is_some()
}

/// Checks `bytes` and keeps them in `dir`. Storing the same image twice gives the same path.
pub async fn store(dir: &Path, bytes: &[u8]) -> Result<Stored, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(MediaError::TooLarge);
    }
    let ext = sniff(bytes).ok_or(MediaError::Type)?;
    let size = imagesize::blob_size(bytes).map_err(|_| MediaError::Type)?;
    if size.width < MIN_WIDTH || size.width > MAX_SIDE || size.height == 0 || size.height > MAX_SIDE
    {
        return Err(MediaError::Dimensions);
    }
    let hash = Sha256::digest(bytes);
    let name = format!("{}.{ext}", hex::encode(&hash[..16]));
    tokio::fs::create_dir_all(dir).await?;
    let target = dir.join(&name);
    if tokio::fs::try_exists(&target).await? {
        tracing::debug!(%name, "image already stored");
    } else {
        // Written aside then renamed: a reader never sees half a file.
        let partial = dir.join(format!(".{name}.{}", std::process::id()));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &target).await?;
    }
    Ok(Stored {
        path: format!("/media/{name}"),
        width: u32::try_from(size.width).unwrap_or(u32::MAX),
        height: u32::try_from(size.height).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("jpg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif"), Some("avif"));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn only_stored_names_are_served() {
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.webp"));
        for bad in [
            "../secret.webp",
            "0123456789abcdef0123456789abcdef.svg",
            "0123456789ABCDEF0123456789ABCDEF.png",
            "0123456789abcdef.png",
            ".0123456789abcdef0123456789abcdef.png.1",
        ] {
            assert!(!is_stored_name(bad), "{bad}");
        }
    }
}
