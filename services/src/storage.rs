//! The file storage seam: where uploaded files (listing pictures, later chat
//! pictures) live. Through the `object_store` crate, one interface for
//!
//! - a local folder, the default: the data directory (`--data-dir`), so an existing
//!   installation keeps its files where they are (`<data dir>/images/…`);
//! - any S3-compatible store (`--storage-url s3://bucket[/prefix]`), configured by the
//!   standard `AWS_*` environment variables (`AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ALLOW_HTTP`): instances on different
//!   machines then share no disk.
//!
//! Keys are relative paths (`images/ab/<hash>.jpg`). Writes are whole objects (the
//! local store writes a temporary file and renames it), so a reader never sees half a
//! file.

use object_store::path::Path as Key;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported storage URL {0:?} (use s3://bucket[/prefix], or leave it out for the data directory)")]
    UnsupportedUrl(String),
    #[error("the data directory {0} cannot be used: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

/// A place to keep files, local or remote. Cheap to clone.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// For messages: the folder or the URL.
    describe: Arc<str>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Storage").field(&self.describe).finish()
    }
}

/// One stored object, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Its key, relative to the storage's root.
    pub key: String,
    /// When it was last written, in milliseconds since the epoch.
    pub modified_ms: i64,
}

impl Storage {
    /// Files under the folder `dir` (created when first written to).
    pub fn local(dir: &std::path::Path) -> Result<Storage, StorageError> {
        let folder = || dir.display().to_string();
        let absolute = std::path::absolute(dir).map_err(|e| StorageError::Folder(folder(), e))?;
        let root = Key::from_absolute_path(&absolute)
            .map_err(|e| StorageError::Folder(folder(), std::io::Error::other(e.to_string())))?;
        let store = object_store::prefix::PrefixStore::new(
            object_store::local::LocalFileSystem::new().with_automatic_cleanup(true),
            root,
        );
        Ok(Storage { store: Arc::new(store), describe: folder().into() })
    }

    /// The store `url` names (`s3://bucket[/prefix]`, with the `AWS_*` environment
    /// variables), or, without one, the folder `data_dir`.
    pub fn open(url: Option<&str>, data_dir: &std::path::Path) -> Result<Storage, StorageError> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Storage::local(data_dir);
        };
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(StorageError::UnsupportedUrl(url.to_owned()));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(StorageError::UnsupportedUrl(url.to_owned()));
        }
        let s3 = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
        let store: Arc<dyn ObjectStore> = match prefix.trim_matches('/') {
            "" => Arc::new(s3),
            prefix => Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)),
        };
        Ok(Storage { store, describe: url.into() })
    }

    /// What this storage is, for messages (a folder or a URL, never credentials).
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Writes `bytes` as `key`, replacing what was there.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        self.store.put(&Key::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// The object `key`, or `None` if there is none.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        match self.store.get(&Key::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether `key` exists.
    pub async fn contains(&self, key: &str) -> Result<bool, StorageError> {
        match self.store.head(&Key::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Every object whose key starts with `prefix/`.
    pub async fn list(&self, prefix: &str) -> Result<Vec<Stored>, StorageError> {
        use futures_util::TryStreamExt;
        let prefix = Key::from(prefix);
        let listed: Vec<object_store::ObjectMeta> =
            match self.store.list(Some(&prefix)).try_collect().await {
                Ok(listed) => listed,
                // Nothing written yet (a local folder that does not exist).
                Err(object_store::Error::NotFound { .. }) => Vec::new(),
                Err(e) => return Err(e.into()),
            };
        Ok(listed
            .into_iter()
            .map(|m| Stored {
                key: m.location.to_string(),
                modified_ms: m.last_modified.timestamp_millis(),
            })
            .collect())
    }

    /// Deletes `key`. One already gone (another instance's sweep was first) is fine.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Key::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks at start that the store can be written, read and deleted from (a wrong
    /// bucket, endpoint or key stops the start with the reason, not the first upload).
    pub async fn check(&self) -> Result<(), StorageError> {
        let key = format!(".marktchat-check-{}", uuid::Uuid::new_v4().simple());
        self.put(&key, b"ok".to_vec()).await?;
        let back = self.get(&key).await?;
        self.delete(&key).await?;
        match back.as_deref() {
            Some(b"ok") => Ok(()),
            _ => Err(StorageError::Store(object_store::Error::Generic {
                store: "check",
                source: "a file just written could not be read back".into(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_folder_stores_lists_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(&dir.path().join("not yet there")).unwrap();
        assert!(storage.list("images").await.unwrap().is_empty(), "nothing yet, no error");
        storage.put("images/ab/x.jpg", b"picture".to_vec()).await.unwrap();
        assert!(dir.path().join("not yet there/images/ab/x.jpg").is_file(), "the same layout");
        assert_eq!(storage.get("images/ab/x.jpg").await.unwrap().as_deref(), Some(&b"picture"[..]));
        assert!(storage.contains("images/ab/x.jpg").await.unwrap());
        assert_eq!(storage.get("images/ab/y.jpg").await.unwrap(), None);
        let listed = storage.list("images").await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].key, "images/ab/x.jpg");
        let age = crate::clock::now().millis() - listed[0].modified_ms;
        assert!((-5_000..60_000).contains(&age), "{age}");
        storage.delete("images/ab/x.jpg").await.unwrap();
        storage.delete("images/ab/x.jpg").await.unwrap();
        assert!(!storage.contains("images/ab/x.jpg").await.unwrap());
        storage.check().await.unwrap();
    }

    #[test]
    fn only_s3_urls_are_understood() {
        let dir = std::path::Path::new("data");
        assert!(matches!(
            Storage::open(Some("ftp://host/x"), dir),
            Err(StorageError::UnsupportedUrl(_))
        ));
        assert!(matches!(Storage::open(Some("s3://"), dir), Err(StorageError::UnsupportedUrl(_))));
        assert_eq!(Storage::open(None, dir).unwrap().describe(), "data");
        assert_eq!(Storage::open(Some(" "), dir).unwrap().describe(), "data");
    }
}
