//! The file system as qc touches it: what it reads, and where it writes.
//!
//! Every read goes through [`read_regular`]: it opens only regular files (a FIFO, a socket, a
//! device or a folder is refused without blocking on it) and reads at most a limit of bytes.
//! The `.q` files and translation files of an instrument come through [`FileLoader`], which
//! reads only inside the instrument's root: the entry file's folder, or `--root DIR`. Paths
//! are checked before anything is opened: absolute paths and `..` that leave the root are
//! refused as written, and a symbolic link is followed only when where it leads is inside the
//! root. Every write goes through [`write_atomically`], which replaces only a regular file.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;

use crate::load::{Loaded, Loader, Refused};

/// The largest file qc reads unless told otherwise: 64 MiB, well above a 10,000-question
/// instrument (about 3 MB) or its compiled form (about 15 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// How many bytes a read may take, and the flag that raises it.
#[derive(Clone, Copy, Debug)]
pub struct SizeLimit {
    pub bytes: u64,
    pub flag: &'static str,
}

impl SizeLimit {
    /// The limit of sources, translation files and forms (`--max-file-size`).
    pub fn files(bytes: u64) -> SizeLimit {
        SizeLimit {
            bytes,
            flag: "--max-file-size",
        }
    }

    /// The limit of replies (`--max-reply-size`).
    pub fn replies(bytes: u64) -> SizeLimit {
        SizeLimit {
            bytes,
            flag: "--max-reply-size",
        }
    }
}

/// A file as read: its display name and bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed: no such file, permission denied.
    Io(std::io::Error),
    /// A folder, FIFO, socket or device, by what it is.
    NotRegular(&'static str),
    /// More bytes than the limit.
    TooLarge(SizeLimit),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{}", describe(error)),
            ReadError::NotRegular(kind) => write!(f, "not a regular file but {kind}"),
            ReadError::TooLarge(SizeLimit { bytes, flag }) => write!(
                f,
                "larger than the limit of {bytes} bytes (raise it with {flag})"
            ),
        }
    }
}

/// An I/O error in words, without the "(os error N)" that means nothing to a person.
pub(super) fn describe(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// What a file that is not regular is, in words.
pub(super) fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// Opens `path` for reading without blocking: opening a FIFO with no writer would wait for one.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads a regular file whole, refusing anything else and anything over `limit` bytes. The
/// file's type is asked of the open file, so a path swapped between a look and the read
/// cannot slip a FIFO past.
pub fn read_regular(path: &Path, limit: SizeLimit) -> Result<Vec<u8>, ReadError> {
    let file = open(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(metadata.file_type())));
    }
    if metadata.len() > limit.bytes {
        return Err(ReadError::TooLarge(limit));
    }
    read_capped(file, limit)
}

/// Reads at most `limit` bytes, refusing a source that has more.
pub fn read_capped(source: impl Read, limit: SizeLimit) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    source
        .take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Reads a file named on the command line, or standard input for `-`.
pub fn read_input(path: &Path, limit: SizeLimit) -> Result<Input, String> {
    if path == Path::new("-") {
        let bytes = read_capped(std::io::stdin().lock(), limit)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        return Ok(Input {
            name: "<stdin>".to_owned(),
            bytes,
        });
    }
    let bytes = read_regular(path, limit)
        .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
    Ok(Input {
        name: path.display().to_string(),
        bytes,
    })
}

/// Reads the files an instrument names from the file system, only inside its root.
pub struct FileLoader {
    /// The root, canonical: no link, no `..`.
    root: PathBuf,
    limit: SizeLimit,
    /// The canonical folder of each file read so far, by its display name.
    folders: HashMap<String, PathBuf>,
    /// Every file read through the loader, canonical: a command never writes over one.
    read: Vec<PathBuf>,
}

impl FileLoader {
    /// A loader for the entry file named `name`, whose folder is `folder` (the current folder
    /// for standard input), reading inside `root` (by default that folder). Fails when a
    /// folder cannot be found or the entry file is outside the root.
    pub fn new(
        name: &str,
        folder: &Path,
        root: Option<&Path>,
        limit: SizeLimit,
    ) -> Result<FileLoader, String> {
        let canonical = |path: &Path| {
            let path = if path.as_os_str().is_empty() {
                Path::new(".")
            } else {
                path
            };
            std::fs::canonicalize(path)
                .map_err(|error| format!("cannot find `{}`: {}", path.display(), describe(&error)))
        };
        let folder = canonical(folder)?;
        let root = match root {
            Some(root) => canonical(root)?,
            None => folder.clone(),
        };
        if !folder.starts_with(&root) {
            return Err(format!(
                "`{name}` is not inside the root `{}`",
                root.display()
            ));
        }
        let mut folders = HashMap::default();
        folders.insert(name.to_owned(), folder);
        Ok(FileLoader {
            root,
            limit,
            folders,
            read: Vec::new(),
        })
    }

    /// Every file the loader read (the entry file is the caller's).
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.read.iter().map(PathBuf::as_path)
    }

    /// The canonical path of a file read so far, by its display name.
    pub fn path_of(&self, name: &str) -> Option<PathBuf> {
        let folder = self.folders.get(name)?;
        let file = Path::new(name).file_name()?;
        Some(folder.join(file))
    }
}

impl Loader for FileLoader {
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, Refused> {
        let outside = |reason| Err(Refused::OutsideRoot { reason });
        let Some(folder) = self.folders.get(importer) else {
            return Err(Refused::Unreadable(format!(
                "`{importer}` was not read by this loader"
            )));
        };
        // `..` is folded on the canonical folder, where it means what it says.
        let candidate = crate::load::fold(folder, path, &self.root)?;
        let real = std::fs::canonicalize(&candidate)
            .map_err(|error| Refused::Unreadable(describe(&error)))?;
        if !real.starts_with(&self.root) {
            return outside("a symbolic link that leads out of the instrument's root");
        }
        let bytes =
            read_regular(&real, self.limit).map_err(|e| Refused::Unreadable(e.to_string()))?;
        // Standard input, `<stdin>`, names no folder: its imports are named from the root.
        let name = crate::load::join(importer, path);
        // Two names of one file (through a link, say) are one module.
        let key = real.display().to_string();
        if let Some(parent) = real.parent() {
            self.folders.insert(name.clone(), parent.to_path_buf());
        }
        self.read.push(real);
        Ok(Loaded { name, key, bytes })
    }
}

/// Whether `path` names a file that a command may replace: a regular file, or nothing yet.
fn replaceable(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(describe(&error)),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            Err("it is a symbolic link; name the file it leads to".to_owned())
        }
        Ok(metadata) if !metadata.file_type().is_file() => Err(format!(
            "it is {}, not a regular file",
            kind_of(metadata.file_type())
        )),
        Ok(metadata) if metadata.permissions().readonly() => Err("it is read-only".to_owned()),
        Ok(_) => Ok(()),
    }
}

/// Writes a whole file or nothing: a temporary file beside it, then a rename. Only a regular
/// file is replaced (a device, FIFO, folder or link is refused), and never one of `inputs`.
pub fn write_atomically(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), String> {
    let fail =
        |error: &dyn std::fmt::Display| format!("cannot write `{}`: {error}", path.display());
    replaceable(path).map_err(|e| fail(&e))?;
    if let Ok(target) = std::fs::canonicalize(path) {
        let is_input = inputs
            .iter()
            .any(|input| std::fs::canonicalize(input).is_ok_and(|input| input == target));
        if is_input {
            return Err(fail(&"it is an input of this command"));
        }
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(directory).map_err(|e| fail(&e))?;
    file.write_all(bytes).map_err(|e| fail(&e))?;
    // A temporary file is private to its owner; the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |old| old.permissions().mode());
        let permissions = std::fs::Permissions::from_mode(mode);
        file.as_file()
            .set_permissions(permissions)
            .map_err(|e| fail(&e))?;
    }
    file.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}
