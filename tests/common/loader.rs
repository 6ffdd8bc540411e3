//! Compiling `.q` files from disk in tests: a loader that reads imports relative to a folder,
//! naming each file by its path from that folder so that snapshots hold no absolute paths.

use std::path::{Path, PathBuf};

use qc::load::{join, Loaded, Loader};

pub struct FolderLoader {
    pub root: PathBuf,
}

impl Loader for FolderLoader {
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, String> {
        let name = join(importer, path);
        let bytes = std::fs::read(self.root.join(&name)).map_err(|error| error.to_string())?;
        Ok(Loaded {
            key: name.clone(),
            name,
            bytes,
        })
    }
}

/// Compiles the file at `path`, named by its file name, with imports read beside it.
pub fn compile_path(path: &Path) -> qc::Compilation {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let root = path.parent().expect("a folder").to_path_buf();
    qc::compile_with(&name, &bytes, &mut FolderLoader { root })
}
