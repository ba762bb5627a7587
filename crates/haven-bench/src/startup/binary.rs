//! Which `haven` binary to launch: the one named on the command line, or the one Cargo built
//! beside this executable (same target directory and profile, so a release `haven-bench`
//! measures a release `haven`).

use std::path::{Path, PathBuf};

/// Why start-up cannot be measured: no `haven` binary. Says how to get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub String);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `explicit` if given (it must be a file), else `haven` beside the running executable.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, Missing> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_owned())
        } else {
            Err(Missing(format!(
                "--haven {}: no such file; build it with `cargo build --release -p haven`",
                path.display()
            )))
        };
    }
    let exe = std::env::current_exe().map_err(|e| {
        Missing(format!(
            "cannot tell where haven-bench itself is ({e}); pass --haven PATH"
        ))
    })?;
    beside(&exe)
}

/// `haven` in the directory of `exe`.
pub fn beside(exe: &Path) -> Result<PathBuf, Missing> {
    let dir = exe.parent().unwrap_or(Path::new("."));
    let haven = dir.join(format!("haven{}", std::env::consts::EXE_SUFFIX));
    if haven.is_file() {
        Ok(haven)
    } else {
        Err(Missing(format!(
            "there is no `haven` binary beside haven-bench ({} is missing); build it with \
             `cargo build --release -p haven` (with the same CARGO_TARGET_DIR as haven-bench), \
             or pass --haven PATH",
            haven.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_binary_says_how_to_build_it() {
        let nowhere = std::env::temp_dir().join(format!("no-such-dir-{}", std::process::id()));
        let Missing(why) = beside(&nowhere.join("haven-bench")).unwrap_err();
        assert!(why.contains("cargo build --release -p haven"), "{why}");
        assert!(
            why.contains(&nowhere.join("haven").display().to_string()),
            "{why}"
        );
        let Missing(why) = locate(Some(&nowhere.join("haven"))).unwrap_err();
        assert!(why.starts_with("--haven "), "{why}");
    }

    #[test]
    fn a_binary_beside_the_executable_is_found() {
        let dir = std::env::temp_dir().join(format!("haven-bench-binary-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let haven = dir.join(format!("haven{}", std::env::consts::EXE_SUFFIX));
        std::fs::write(&haven, b"").unwrap();
        assert_eq!(beside(&dir.join("haven-bench")), Ok(haven.clone()));
        assert_eq!(locate(Some(&haven)), Ok(haven));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
