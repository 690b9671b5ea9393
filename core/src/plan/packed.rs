//! The workloads a plan owns ([`Engine::plan_owned`](super::Engine::plan_owned)), kept as
//! compact JSON until they are first asked for.
//!
//! A typed [`Workload`] takes several times the memory of its JSON (maps, a string per key,
//! boxed containers): the 10,000 workloads of the benchmark's application take 66 MB typed
//! and 9.3 MB packed. The Python and Node packages rarely ask for a plan's workloads
//! (the Backstage catalog does), so their plans keep them packed: the typed ones are
//! decoded again, once, by the first call of [`Plan::workloads`](super::Plan::workloads).

use std::path::PathBuf;

use rayon::prelude::*;

use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;

/// How many workloads one piece holds (pieces are written on every core).
const PIECE: usize = 256;

/// Workloads as compact JSON, in pieces of [`PIECE`]: each piece an array of
/// `[workload, file, folder]`.
pub(super) struct Packed {
    pieces: Vec<Box<[u8]>>,
}

/// One workload as it is packed.
type Entry<'a> = (&'a Workload, &'a Option<String>, &'a Option<PathBuf>);

/// One workload as it is unpacked.
type Owned = (Workload, Option<String>, Option<PathBuf>);

impl Packed {
    /// `workloads` packed, or `None` when one piece does not read back exactly as it was
    /// written: such workloads are kept as they are. That covers a folder whose path is not
    /// UTF-8, values nested deeper than the JSON reader's recursion limit, and anything
    /// else the JSON form cannot hold (a workload built in code with an extra metadata key
    /// that names a field): [`Packed::unpack`] then always gives back what went in. Reading
    /// each piece back costs about what typing the workloads did; only the packages' plans
    /// pack.
    pub fn new(workloads: &[WorkloadInput]) -> Option<Self> {
        let pieces = workloads
            .par_chunks(PIECE)
            .map(|piece| {
                let entries: Vec<Entry<'_>> = piece
                    .iter()
                    .map(|w| (&w.workload, &w.file, &w.folder))
                    .collect();
                let bytes = serde_json::to_vec(&entries).ok()?;
                let same = read(&bytes).is_some_and(|back| back.as_slice() == piece);
                same.then(|| bytes.into_boxed_slice())
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { pieces })
    }

    /// The workloads back, in order. One piece after the other on the calling thread: it
    /// runs inside the `OnceLock` of [`super::workloads::Shared::flat`], where a thread
    /// that waited for rayon's work could be handed a job that asks for the same lock.
    pub fn unpack(&self) -> Vec<WorkloadInput> {
        self.pieces
            .iter()
            // Every piece was read back and compared when it was packed (`new`).
            .flat_map(|piece| read(piece).unwrap_or_default())
            .collect()
    }
}

/// The workloads of one piece, or `None` when `piece` does not read as one.
fn read(piece: &[u8]) -> Option<Vec<WorkloadInput>> {
    let entries: Vec<Owned> = serde_json::from_slice(piece).ok()?;
    let workloads = entries
        .into_iter()
        .map(|(workload, file, folder)| WorkloadInput {
            workload,
            file,
            folder,
        })
        .collect();
    Some(workloads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Loader;

    fn workload(i: usize) -> WorkloadInput {
        let text = format!(
            "apiVersion: score.dev/v1b1\nmetadata: {{name: w{i}, annotations: {{example.com/index: '{i}'}}}}\ncontainers:\n  main:\n    image: nginx:1.{i}\n    variables: {{A: '${{resources.db.host}}', B: 'x'}}\n    files: [{{target: /etc/f, content: 'é {i}'}}]\nservice:\n  ports: {{http: {{port: 80, targetPort: 8080}}}}\nresources:\n  db: {{type: postgres, params: {{size: {i}.5, on: true}}}}\n"
        );
        let mut input = WorkloadInput::new(Loader::default().score_str(&text, None).unwrap());
        if i.is_multiple_of(2) {
            input.file = Some(format!("w{i}.yaml"));
            input.folder = Some(PathBuf::from(format!("/apps/w{i}")));
        }
        input
    }

    #[test]
    fn workloads_come_back_as_they_went_in_across_pieces() {
        let workloads: Vec<WorkloadInput> = (0..PIECE * 2 + 3).map(workload).collect();
        let packed = Packed::new(&workloads).expect("packs");
        assert_eq!(packed.pieces.len(), 3);
        assert_eq!(packed.unpack(), workloads);
        assert!(Packed::new(&[]).expect("packs").unpack().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_is_not_utf8_is_not_packed() {
        use std::os::unix::ffi::OsStrExt;
        let mut input = workload(1);
        input.folder = Some(PathBuf::from(std::ffi::OsStr::from_bytes(b"/apps/\xff")));
        assert!(Packed::new(&[workload(0), input]).is_none());
    }

    #[test]
    fn params_deeper_than_the_reader_goes_are_not_packed() {
        let mut input = workload(2);
        let mut deep = serde_json::json!("bottom");
        for _ in 0..200 {
            deep = serde_json::json!({ "in": deep });
        }
        let request = input.workload.resources.get_mut("db").expect("db");
        request.params =
            Some(serde_json::from_value(serde_json::json!({ "deep": deep })).expect("params"));
        assert!(Packed::new(&[workload(0), input.clone()]).is_none());
        assert!(Packed::new(&[workload(0), workload(1)]).is_some());
    }
}
