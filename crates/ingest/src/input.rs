//! Turning command-line inputs into an ordered list of things to read.

use std::path::{Path, PathBuf};

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// Name used in errors and alerts.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// Size on disk, for scheduling big files first.
    pub fn size(&self) -> u64 {
        match self {
            Input::Stdin => 0,
            Input::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        }
    }
}

/// An input argument that named nothing readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub arg: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.arg, self.message)
    }
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Files under `dir`, recursively, sorted by path so runs are reproducible.
/// Hidden entries (`.git`, editor files) are skipped.
fn walk(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError {
                arg: dir.display().to_string(),
                message: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, errors);
        } else if p.is_file() {
            out.push(Input::File(p));
        }
    }
}

/// Expand arguments (files, directories, globs, `-`) into inputs, keeping
/// the order given. Arguments that match nothing are returned as errors so
/// the caller can report them and go on with the rest.
pub fn expand(args: &[String]) -> (Vec<Input>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            walk(path, &mut out, &mut errors);
        } else if path.is_file() {
            out.push(Input::File(path.to_path_buf()));
        } else if is_glob(arg) {
            match glob::glob(arg) {
                Ok(paths) => {
                    let mut found: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
                    found.sort();
                    if found.is_empty() {
                        errors.push(InputError {
                            arg: arg.clone(),
                            message: "pattern matched no files".into(),
                        });
                    }
                    for p in found {
                        if p.is_dir() {
                            walk(&p, &mut out, &mut errors);
                        } else {
                            out.push(Input::File(p));
                        }
                    }
                }
                Err(e) => errors.push(InputError {
                    arg: arg.clone(),
                    message: format!("invalid pattern: {e}"),
                }),
            }
        } else {
            errors.push(InputError {
                arg: arg.clone(),
                message: "no such file or directory".into(),
            });
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_dirs_globs_and_reports_missing() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("a/b")).unwrap();
        std::fs::write(d.path().join("a/b/2.json"), "{}").unwrap();
        std::fs::write(d.path().join("a/1.json"), "{}").unwrap();
        std::fs::write(d.path().join("a/.hidden"), "{}").unwrap();
        let root = d.path().display().to_string();
        let (inputs, errs) = expand(&[
            format!("{root}/a"),
            format!("{root}/a/*.json"),
            format!("{root}/missing"),
            format!("{root}/none*.gz"),
            "-".into(),
        ]);
        let names: Vec<String> = inputs.iter().map(|i| i.display()).collect();
        assert_eq!(
            names,
            vec![
                format!("{root}/a/1.json"),
                format!("{root}/a/b/2.json"),
                format!("{root}/a/1.json"),
                "-".to_string()
            ]
        );
        assert_eq!(errs.len(), 2);
        assert!(errs[0].message.contains("no such file"));
        assert!(errs[1].message.contains("matched no files"));
    }
}
