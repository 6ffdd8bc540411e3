//! Compiling `.q` files from disk in tests, through the binary's own loader: imports are read
//! inside the folder of the entry file, which is named by its file name so that snapshots hold
//! no absolute paths.

use std::path::Path;

use qc::cli::{FileLoader, SizeLimit, DEFAULT_MAX_FILE_SIZE};

/// The loader of the `qc` binary for an entry file named `name` in `folder`, its root.
pub fn folder_loader(folder: &Path, name: &str) -> FileLoader {
    FileLoader::new(name, folder, None, SizeLimit::files(DEFAULT_MAX_FILE_SIZE))
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
}

/// Compiles the file at `path`, named by its file name, with imports read beside it.
pub fn compile_path(path: &Path) -> qc::Compilation {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let folder = path.parent().expect("a folder");
    qc::compile_with(&name, &bytes, &mut folder_loader(folder, &name))
}
