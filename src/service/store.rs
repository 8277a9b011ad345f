//! The snapshot store: uploaded snapshots, kept durably under `--data-dir`, addressed by content.
//!
//! # Layout on disk
//!
//! `DIR/snapshots/<id>.snap`, one file per snapshot: a first line of JSON with what
//! `GetSnapshotInfo` answers ([`StoredInfo`]), then the snapshot's canonical JSON. The id is the
//! SHA-256 of that canonical JSON, so a file can be verified against its own name (it is, on
//! every load) and the same snapshot uploaded twice is stored once.
//!
//! # Durability
//!
//! A snapshot is acknowledged only after it is on disk: written to `DIR/snapshots/.tmp-…`,
//! `fsync`ed, renamed over `<id>.snap` (atomic on POSIX file systems), and the directory
//! `fsync`ed so the rename itself survives a power cut. A crash (even `kill -9`) at any point
//! leaves either the old state or the new one, never a torn file; stray temp files are removed on
//! the next start. Opening the store reads only the first line of each file, so a restart is quick
//! whatever the snapshots weigh.
//!
//! # Bounds
//!
//! The store holds at most `max_snapshots` snapshots and `max_bytes` bytes of JSON; a put beyond
//! either is refused with [`StoreError::Full`] (`RESOURCE_EXHAUSTED`, saying which bound and
//! where the data lives). Nothing is evicted silently: an id a client was given stays valid.
//! Without a data directory the store lives in memory (for tests and trials) with the same bounds.
//!
//! # Concurrency
//!
//! Lookups take a read lock on the index. Puts are serialised by a separate mutex held while the
//! file is written, so two uploads never race for a bound; they run on the solve pool, never on
//! the async runtime.

use crate::model::{Model, Snapshot};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// What the store knows of a snapshot without reading it; the first line of its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredInfo {
    /// SHA-256 of the canonical JSON, lowercase hex.
    pub id: String,
    /// Bytes of canonical JSON.
    pub size_bytes: u64,
    /// When first stored, RFC 3339 UTC.
    pub stored_at: String,
    /// First day of the horizon.
    pub calendar_start: String,
    /// Last day of the horizon.
    pub calendar_end: String,
    /// Departments.
    pub departments: u64,
    /// Units.
    pub units: u64,
    /// Staff members.
    pub staff: u64,
    /// Roster entries.
    pub roster_entries: u64,
    /// Leave entries.
    pub leave_entries: u64,
    /// Demand lines.
    pub demand_lines: u64,
}

impl StoredInfo {
    /// Describes `snapshot`, whose canonical JSON is `json`.
    pub fn describe(snapshot: &Snapshot, json: &str) -> Self {
        let n = |x: usize| x as u64;
        StoredInfo {
            id: content_id(json),
            size_bytes: n(json.len()),
            stored_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            calendar_start: snapshot.calendar.start.to_string(),
            calendar_end: snapshot.calendar.end.to_string(),
            departments: n(snapshot.organisation.departments.len()),
            units: n(snapshot.organisation.units.len()),
            staff: n(snapshot.staff.len()),
            roster_entries: n(snapshot.roster.len()),
            leave_entries: n(snapshot.leave.len()),
            demand_lines: n(snapshot.demand.len()),
        }
    }
}

/// The content-addressed id of a snapshot: SHA-256 of its canonical JSON, lowercase hex.
pub fn content_id(canonical_json: &str) -> String {
    let digest = Sha256::digest(canonical_json.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether `id` has the form of a snapshot id (64 lowercase hex digits).
pub fn is_valid_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| HEX.contains(&b))
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A bound would be exceeded.
    #[error("the snapshot store is full: {what} (stored under {location}); remove snapshots no longer needed or raise the limit")]
    Full {
        /// Which bound, with the numbers.
        what: String,
        /// Where the data lives.
        location: String,
    },
    /// A file could not be read or written.
    #[error("snapshot store I/O error on {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A stored file does not match its id (disk corruption or tampering).
    #[error("stored snapshot {id} is corrupt: {reason}")]
    Corrupt {
        /// The snapshot id.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Bounds of the store.
#[derive(Clone, Copy, Debug)]
pub struct StoreLimits {
    /// Most snapshots.
    pub max_snapshots: usize,
    /// Most bytes of snapshot JSON in total.
    pub max_bytes: u64,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            max_snapshots: 1000,
            max_bytes: 8 << 30,
        }
    }
}

struct Entry {
    info: StoredInfo,
    /// The canonical JSON, in memory mode only.
    json: Option<Arc<str>>,
}

/// The snapshot store (see the module docs).
pub struct Store {
    /// `DIR/snapshots`, or none for an in-memory store.
    dir: Option<PathBuf>,
    limits: StoreLimits,
    /// Id → entry, and the total bytes held.
    index: RwLock<(HashMap<String, Entry>, u64)>,
    /// Held for the whole of a put, so bounds are checked and used atomically.
    writer: Mutex<()>,
}

impl Store {
    /// Opens (creating if needed) the store under `data_dir`, or an in-memory store for `None`.
    /// Leftover temp files of an interrupted write are removed; every snapshot file is indexed.
    pub fn open(data_dir: Option<&Path>, limits: StoreLimits) -> Result<Store, StoreError> {
        let mut entries = HashMap::new();
        let mut bytes = 0;
        let dir = match data_dir {
            None => None,
            Some(root) => {
                let dir = root.join("snapshots");
                fs::create_dir_all(&dir).map_err(io_err(&dir))?;
                for item in fs::read_dir(&dir).map_err(io_err(&dir))? {
                    let item = item.map_err(io_err(&dir))?;
                    let path = item.path();
                    let name = item.file_name().to_string_lossy().into_owned();
                    if name.starts_with(".tmp-") {
                        fs::remove_file(&path).map_err(io_err(&path))?;
                        continue;
                    }
                    let Some(id) = name.strip_suffix(".snap") else {
                        continue;
                    };
                    if !is_valid_id(id) {
                        continue;
                    }
                    let info = read_header(&path, id)?;
                    bytes += info.size_bytes;
                    entries.insert(id.to_string(), Entry { info, json: None });
                }
                Some(dir)
            }
        };
        Ok(Store {
            dir,
            limits,
            index: RwLock::new((entries, bytes)),
            writer: Mutex::new(()),
        })
    }

    /// Number of snapshots stored.
    pub fn len(&self) -> usize {
        self.index
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where snapshots live, for messages.
    pub fn location(&self) -> String {
        match &self.dir {
            Some(d) => d.display().to_string(),
            None => "memory (no --data-dir)".to_string(),
        }
    }

    /// What the store knows of snapshot `id`.
    pub fn info(&self, id: &str) -> Option<StoredInfo> {
        let index = self.index.read().unwrap_or_else(PoisonError::into_inner);
        index.0.get(id).map(|e| e.info.clone())
    }

    /// Stores a snapshot's canonical JSON, described by `info`; durable when this returns.
    /// Returns the stored info (the first one, if the snapshot was already there) and whether
    /// it was new.
    pub fn put(&self, info: StoredInfo, json: &str) -> Result<(StoredInfo, bool), StoreError> {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let index = self.index.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(e) = index.0.get(&info.id) {
                return Ok((e.info.clone(), false));
            }
            let (entries, bytes) = (&index.0, index.1);
            if entries.len() >= self.limits.max_snapshots {
                return Err(StoreError::Full {
                    what: format!(
                        "{} of {} snapshots",
                        entries.len(),
                        self.limits.max_snapshots
                    ),
                    location: self.location(),
                });
            }
            if bytes + info.size_bytes > self.limits.max_bytes {
                return Err(StoreError::Full {
                    what: format!(
                        "{} MiB held, {} MiB more asked, {} MiB allowed",
                        bytes >> 20,
                        info.size_bytes.div_ceil(1 << 20),
                        self.limits.max_bytes >> 20
                    ),
                    location: self.location(),
                });
            }
        }
        let json_in_memory = match &self.dir {
            Some(dir) => {
                write_durably(dir, &info, json)?;
                None
            }
            None => Some(Arc::from(json)),
        };
        let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
        index.1 += info.size_bytes;
        index.0.insert(
            info.id.clone(),
            Entry {
                info: info.clone(),
                json: json_in_memory,
            },
        );
        Ok((info, true))
    }

    /// Reads snapshot `id`'s canonical JSON, verified against its id; `Ok(None)` if unknown.
    pub fn load(&self, id: &str) -> Result<Option<Arc<str>>, StoreError> {
        let memory = {
            let index = self.index.read().unwrap_or_else(PoisonError::into_inner);
            match index.0.get(id) {
                None => return Ok(None),
                Some(e) => e.json.clone(),
            }
        };
        if let Some(json) = memory {
            return Ok(Some(json));
        }
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let path = dir.join(format!("{id}.snap"));
        let mut reader = BufReader::new(File::open(&path).map_err(io_err(&path))?);
        let mut header = String::new();
        reader.read_line(&mut header).map_err(io_err(&path))?;
        let mut json = String::new();
        reader.read_to_string(&mut json).map_err(io_err(&path))?;
        if content_id(&json) != id {
            return Err(StoreError::Corrupt {
                id: id.to_string(),
                reason: "its contents no longer hash to its id".into(),
            });
        }
        Ok(Some(Arc::from(json)))
    }
}

fn read_header(path: &Path, id: &str) -> Result<StoredInfo, StoreError> {
    let mut reader = BufReader::new(File::open(path).map_err(io_err(path))?);
    let mut header = String::new();
    reader.read_line(&mut header).map_err(io_err(path))?;
    let info: StoredInfo = serde_json::from_str(&header).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: format!("unreadable header: {e}"),
    })?;
    if info.id != id {
        return Err(StoreError::Corrupt {
            id: id.to_string(),
            reason: "header names another id".into(),
        });
    }
    Ok(info)
}

/// Temp file, fsync, rename, fsync of the directory.
fn write_durably(dir: &Path, info: &StoredInfo, json: &str) -> Result<(), StoreError> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".tmp-{}-{}-{n}", info.id, std::process::id()));
    let target = dir.join(format!("{}.snap", info.id));
    let header = serde_json::to_string(info).map_err(|e| StoreError::Io {
        path: tmp.clone(),
        source: std::io::Error::other(e),
    })?;
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(header.as_bytes())?;
        file.write_all(b"\n")?;
        file.write_all(json.as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)?;
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io_err(&target))
}

/// A few recently used models, so checking the same stored snapshot again skips parsing and
/// indexing (about a second on a whole city). Least recently used first out.
pub struct ModelCache {
    capacity: usize,
    entries: Mutex<VecDeque<(String, Arc<Model>)>>,
}

impl ModelCache {
    /// A cache of at most `capacity` models (0 disables it).
    pub fn new(capacity: usize) -> Self {
        ModelCache {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// The model of snapshot `id`, if cached.
    pub fn get(&self, id: &str) -> Option<Arc<Model>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let at = entries.iter().position(|(k, _)| k == id)?;
        let entry = entries.remove(at)?;
        let model = Arc::clone(&entry.1);
        entries.push_back(entry);
        Some(model)
    }

    /// Remembers the model of snapshot `id`.
    pub fn insert(&self, id: &str, model: Arc<Model>) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.iter().any(|(k, _)| k == id) {
            return;
        }
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back((id.to_string(), model));
    }
}
