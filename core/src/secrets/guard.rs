//! The check of a plan's output against its registered secrets: one set of runs, built once.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::build::Looked;
use super::secret_data_exempt;
use super::windows::Runs;
use crate::sensitive::REDACTED;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// The most places one check reports; more are summed up in the last message.
const MAX_REPORTED: usize = 10;

/// Finds the secrets of a plan in text: the set of the lower-cased
/// [`patterns`](super::patterns) of every registered secret (each a run of
/// [`WINDOW`](super::WINDOW) characters, looked up at every position of text whose ASCII letters
/// are lowered, so every ASCII case matches), and the set of short secrets matched as whole
/// strings. Built by [`SecretRegistry::guard`].
///
/// [`SecretRegistry::guard`]: super::SecretRegistry::guard
pub struct SecretGuard {
    /// The runs looked for, each with its owner (index into `owners`).
    runs: Runs<usize>,
    /// Short secrets, matched whole, and their owner.
    whole: HashMap<String, usize>,
    /// What the secrets belong to (`resource `KEY``).
    owners: Vec<String>,
}

/// The runs of [`WINDOW`](super::WINDOW) characters (lower-cased) of the public names of a plan:
/// a secret's run that is one of them identifies nothing and is not looked for.
#[derive(Debug, Clone, Default)]
pub struct PublicWords(Runs<()>);

impl PublicWords {
    /// The runs of `texts`, also with every character that is not a letter or a digit written
    /// as `-`, `_` and `.` (names derived from them, such as `postgres-<guid>-secrets` from
    /// `postgres.default#shop.db`, are public too).
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words = Self::default();
        words.add(texts);
        words
    }

    /// Adds the runs of `texts` (as [`new`](Self::new) takes them): the words of a plan can be
    /// made in parts, on several threads, and are the same whatever the parts and their order.
    pub fn add<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        let runs = &mut self.0;
        // Plans repeat most names (`main`, `DB_HOST`, `db` in every workload): each distinct
        // text once; adding a run twice changes nothing.
        let mut seen: HashSet<&str> = HashSet::new();
        let mut variant = String::new();
        let mut starts = Vec::new();
        for text in texts {
            if !seen.insert(text) {
                continue;
            }
            let lower = text.to_ascii_lowercase();
            add_runs(runs, &lower, &mut starts);
            if lower.chars().all(char::is_alphanumeric) {
                // Every variant is the text itself.
                continue;
            }
            for separator in ['-', '_', '.'] {
                variant.clear();
                variant.extend(
                    lower
                        .chars()
                        .map(|c| if c.is_alphanumeric() { c } else { separator }),
                );
                if variant != lower {
                    add_runs(runs, &variant, &mut starts);
                }
            }
        }
    }

    /// Whether `run` (lower-cased, of [`WINDOW`](super::WINDOW) characters) is a public run.
    pub(super) fn contains(&self, run: &str) -> bool {
        self.0.contains(run)
    }

    /// Whether the packed ASCII run `word` is a public run.
    pub(super) fn contains_word(&self, word: u64) -> bool {
        self.0.contains_word(word)
    }
}

/// Adds every run of [`WINDOW`](super::WINDOW) characters of `text` to `runs`; `starts` is
/// room for the character offsets, reused between texts.
fn add_runs(runs: &mut Runs<()>, text: &str, starts: &mut Vec<usize>) {
    if text.is_ascii() {
        // Every byte is a character.
        for start in 0..=text.len().saturating_sub(super::WINDOW) {
            if let Some(run) = text.get(start..start + super::WINDOW) {
                runs.insert(run, ());
            }
        }
        return;
    }
    starts.clear();
    starts.extend(text.char_indices().map(|(i, _)| i).chain([text.len()]));
    for w in starts.windows(super::WINDOW + 1) {
        runs.insert(&text[w[0]..w[super::WINDOW]], ());
    }
}

impl PublicWords {
    /// Hands every run to `each`.
    pub(super) fn each_run(&self, each: &mut dyn FnMut(&str)) {
        self.0.each(each);
    }
}

/// `text` with ASCII upper-case letters lowered (byte offsets unchanged): the patterns are
/// lower-case, so matching the folded text matches every ASCII case.
/// Whether JSON writes `text` escaped (so it is not in the JSON as it is).
fn json_escapes(text: &str) -> bool {
    text.chars().any(|c| c == '"' || c == '\\' || c < ' ')
}

fn folded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One step of the way to a value, borrowed while walking.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A place where a secret was found: the path and the owner of the secret.
struct Found {
    path: DocPath,
    owner: usize,
}

impl SecretGuard {
    /// A guard for `secrets`, each given with what it belongs to (`resource `KEY``), as
    /// messages name it.
    ///
    /// # Errors
    /// None today (the set of runs takes any number of secrets); kept so that a limit on the
    /// secrets of one plan can be added without changing callers.
    pub fn new<'a>(secrets: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        Self::with_public(secrets, &PublicWords::default())
    }

    /// A guard for `secrets` that leaves out the runs of them that `public` holds (names every
    /// plan shows anyway: a secret that contains `password` is not refused for a variable
    /// named `DB_PASSWORD`).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_public<'a>(
        secrets: impl IntoIterator<Item = (&'a str, &'a str)>,
        public: &PublicWords,
    ) -> Result<Self> {
        let (names, values): (Vec<&str>, Vec<&str>) = secrets.into_iter().unzip();
        let mut owners = Vec::new();
        let mut owner_of: HashMap<&str, usize> = HashMap::new();
        let mut runs = Runs::default();
        let mut whole = HashMap::new();
        // Derived on every core, put in in the order of `secrets` (the first owner stays).
        super::build::each_looked(&values, public, &mut |index, looked| {
            let name = names[index];
            let next = owners.len();
            let owner = *owner_of.entry(name).or_insert_with(|| {
                owners.push(name.to_owned());
                next
            });
            match looked {
                Looked::Nothing => {}
                Looked::Whole(text) => {
                    whole.entry(text).or_insert(owner);
                }
                Looked::Runs { words, other } => {
                    for word in words {
                        runs.insert_word(word, owner);
                    }
                    for run in other {
                        runs.insert(&run, owner);
                    }
                }
            }
        });
        runs.seal();
        Ok(Self {
            runs,
            whole,
            owners,
        })
    }

    /// The same guard, to change ([`super::book`]).
    pub(super) fn copied(&self) -> Self {
        Self {
            runs: self.runs.clone(),
            whole: self.whole.clone(),
            owners: self.owners.clone(),
        }
    }

    /// Every run and short secret the guard looks for, with its owner (tests compare guards).
    #[cfg(test)]
    pub(super) fn listing(&self) -> std::collections::BTreeMap<String, String> {
        let mut all = std::collections::BTreeMap::new();
        self.runs.each(&mut |run| {
            let owner = self.run_owner(run).unwrap_or_default().to_owned();
            all.insert(format!("run {run}"), owner);
        });
        for (text, &owner) in &self.whole {
            all.insert(format!("whole {text}"), self.owners[owner].clone());
        }
        all
    }

    /// A guard that looks for nothing yet.
    pub(super) fn empty() -> Self {
        Self {
            runs: Runs::default(),
            whole: HashMap::new(),
            owners: Vec::new(),
        }
    }

    /// Builds the filter of a guard made with [`SecretGuard::empty`], naming owners as
    /// `other` does.
    pub(super) fn seal_with_owners_of(&mut self, other: &Self) {
        self.owners = other.owners.clone();
        self.runs.seal();
    }

    /// The owner of the run `run` (lower-cased), if the guard looks for it.
    pub(super) fn run_owner(&self, run: &str) -> Option<&str> {
        self.runs.get(run).map(|i| self.owners[i].as_str())
    }

    /// The owner of the short secret `text`, if the guard looks for it.
    pub(super) fn whole_owner(&self, text: &str) -> Option<&str> {
        self.whole.get(text).map(|&i| self.owners[i].as_str())
    }

    /// The index of `owner`, appended to the owners (the caller gives each name once per edit).
    pub(super) fn owner_index(&mut self, owner: String) -> usize {
        self.owners.push(owner);
        self.owners.len() - 1
    }

    /// Looks for the run `run` (lower-cased) as the owner at `owner`.
    pub(super) fn put_run(&mut self, run: &str, owner: usize) {
        self.runs.put(run, owner);
    }

    /// Stops looking for the run `run`.
    pub(super) fn remove_run(&mut self, run: &str) {
        self.runs.remove(run);
    }

    /// Looks for the short secret `text` as the owner at `owner`.
    pub(super) fn put_whole(&mut self, text: &str, owner: usize) {
        self.whole.insert(text.to_owned(), owner);
    }

    /// Stops looking for the short secret `text`.
    pub(super) fn remove_whole(&mut self, text: &str) {
        self.whole.remove(text);
    }

    /// Whether the guard may find a secret in the texts `seen` was made of: `false` only when
    /// it finds none for sure (see [`super::seen`]).
    pub(crate) fn may_be_seen(&self, seen: &super::seen::Seen) -> bool {
        if !self.whole.is_empty() || self.runs.any_run(json_escapes) {
            return true;
        }
        let mut may = false;
        self.runs.each(&mut |run| {
            may |= super::windows::packed(run).is_none_or(|word| seen.may_hold(word));
        });
        may
    }

    /// The runs and short secrets `self` looks for that `other` does not (with their owners):
    /// what a plan's new guard may find in objects its old guard let through.
    pub(crate) fn beyond(&self, other: &Self) -> Self {
        let owners = self.owners.clone();
        let mut runs = self.runs.without(&other.runs);
        runs.seal();
        let whole = self
            .whole
            .iter()
            .filter(|(text, _)| !other.whole.contains_key(*text))
            .map(|(text, &owner)| (text.clone(), owner))
            .collect();
        Self {
            runs,
            whole,
            owners,
        }
    }

    /// Whether the guard may find a secret in an object whose compact JSON (as
    /// `serde_json::to_vec` writes it) is `json`: `false` only when it finds none for sure.
    /// A string's text is in its JSON as it is unless it holds a character JSON escapes, so
    /// runs and short secrets without one are looked for in the JSON itself (short secrets
    /// between quotes); anything else may be there.
    ///
    /// A short secret that reads as a JSON number is also looked for bare: the check compares
    /// a number's text with the short secrets too.
    pub(crate) fn may_find_in_json(&self, json: &str) -> bool {
        if self.runs.any_run(json_escapes) {
            return true;
        }
        for text in self.whole.keys() {
            let as_number = serde_json::from_str::<serde_json::Number>(text).is_ok();
            if json_escapes(text)
                || json.contains(&format!("\"{text}\""))
                || (as_number && json.contains(text.as_str()))
            {
                return true;
            }
        }
        self.runs.first_folded(json).is_some()
    }

    /// Whether the guard looks for nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.runs.len() == 0 && self.whole.is_empty()
    }

    /// What the secret found in `text` belongs to (a run of it, or a short secret equal to the
    /// whole text), or `None`.
    #[must_use]
    pub fn found_in(&self, text: &str) -> Option<&str> {
        self.owner_in(text).map(|i| self.owners[i].as_str())
    }

    fn owner_in(&self, text: &str) -> Option<usize> {
        // A short secret has fewer than `WINDOW` characters ([`derive`]): a longer text is
        // none of them, and is not hashed to find out.
        if text.len() < 4 * super::WINDOW
            && let Some(&owner) = self.whole.get(text)
        {
            return Some(owner);
        }
        self.runs.first_folded(text).map(|hit| hit.value)
    }

    /// `text` with every run of a secret the guard finds replaced by `***` (short secrets,
    /// matched whole only, are replaced when they are the whole text).
    #[must_use]
    pub fn redact(&self, text: &str) -> String {
        if self.whole.contains_key(text) {
            return REDACTED.to_owned();
        }
        let mut spans: Vec<(usize, usize)> = self
            .runs
            .hits(folded(text).as_ref())
            .map(|hit| (hit.start, hit.end))
            .collect();
        if spans.is_empty() {
            return text.to_owned();
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in merged {
            out.push_str(&text[at..start]);
            out.push_str(REDACTED);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The error with every secret found in its messages, files and paths redacted.
    #[must_use]
    pub fn scrub(&self, error: Error) -> Error {
        if self.is_empty() {
            return error;
        }
        let diagnostics: Vec<_> = error
            .into_diagnostics()
            .into_iter()
            .map(|mut d| {
                d.message = self.redact(&d.message);
                d.location.file = d.location.file.map(|f| self.redact(&f));
                d.location.path = self.redact_path(&d.location.path);
                d
            })
            .collect();
        Error::from_diagnostics(diagnostics).unwrap_or_else(|| {
            Error::new(ErrorKind::Invalid, Location::default(), "the plan failed")
        })
    }

    fn redact_path(&self, path: &DocPath) -> DocPath {
        path.segments()
            .iter()
            .fold(DocPath::root(), |out, segment| match segment {
                crate::PathSegment::Key(key) => out.key(self.shown(key)),
                crate::PathSegment::Index(i) => out.index(*i),
            })
    }

    /// `key` as a path shows it: `***` when it holds a secret.
    fn shown<'k>(&self, key: &'k str) -> &'k str {
        if self.owner_in(key).is_some() {
            REDACTED
        } else {
            key
        }
    }

    /// Refuses an object that shows a secret outside the `data` and `stringData` of a `v1`
    /// `Secret`. `what` names the object in messages (it must not come from the object's
    /// content: use [`describe`](Self::describe)).
    ///
    /// # Errors
    /// An [`ErrorKind::Driver`] error with one diagnostic per place (at most ten), each naming
    /// `what`, the resource whose secret it is and the JSON path, never the value.
    pub fn check_object(&self, object: &Value, what: &str) -> Result<()> {
        self.check_object_at(object, what, &DocPath::root())
    }

    /// As [`check_object`](Self::check_object), with paths that start at `base`.
    ///
    /// # Errors
    /// As [`check_object`](Self::check_object).
    pub fn check_object_at(&self, object: &Value, what: &str, base: &DocPath) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        let mut found = Vec::new();
        match object {
            Value::Object(fields) => {
                let exempt = secret_data_exempt(object);
                let read = fields.iter().filter(|(k, _)| !exempt(k));
                self.walk_entries(read, &mut Vec::new(), &mut found);
            }
            other => self.walk(other, &mut Vec::new(), &mut found),
        }
        self.refuse(found, what, base)
    }

    /// Refuses non-secret outputs that show a secret; `what` names whose outputs they are.
    ///
    /// # Errors
    /// As [`check_object`](Self::check_object), paths starting at `outputs`.
    pub fn check_outputs(&self, outputs: &Map<String, Value>, what: &str) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        let mut found = Vec::new();
        self.walk_entries(outputs.iter(), &mut Vec::new(), &mut found);
        self.refuse(found, what, &DocPath::root().key("outputs"))
    }

    /// How messages may name `object`: ``Kind `name` ``, leaving out a kind or a name that
    /// holds a secret.
    #[must_use]
    pub fn describe(&self, object: &Value) -> String {
        let field = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
        let hidden = |text: &str| self.owner_in(text).is_some();
        let kind = match field("/kind") {
            Some(kind) if !hidden(kind) => kind,
            Some(_) => "an object (kind not shown: it holds a secret)",
            None => "an object",
        };
        match field("/metadata/name") {
            Some(name) if hidden(name) => format!("{kind} (name not shown: it holds a secret)"),
            Some(name) => format!("{kind} `{name}`"),
            None => kind.to_owned(),
        }
    }

    fn refuse(&self, found: Vec<Found>, what: &str, base: &DocPath) -> Result<()> {
        let total = found.len();
        let errors = found.into_iter().take(MAX_REPORTED).map(|f| {
            let mut path = base.clone();
            for segment in f.path.segments() {
                path = match segment {
                    crate::PathSegment::Key(k) => path.key(k.clone()),
                    crate::PathSegment::Index(i) => path.index(*i),
                };
            }
            let more = if total > MAX_REPORTED {
                format!(" ({total} places in all)")
            } else {
                String::new()
            };
            Error::new(
                ErrorKind::Driver,
                Location::default().with_path(path.clone()),
                format!(
                    "a secret value of {} appears in {what} at `{path}`{more}: secret values may \
                     only be in the `data` or `stringData` of a Secret; pass the secret on as a \
                     secret output or a reference (`${{resources...}}`), not as text",
                    self.owners[f.owner]
                ),
            )
        });
        Error::join(errors).map_or(Ok(()), Err)
    }

    fn walk<'v>(&self, value: &'v Value, path: &mut Vec<Step<'v>>, found: &mut Vec<Found>) {
        match value {
            Value::String(text) => self.hit(text, path, found),
            Value::Number(number) => self.hit(&number.to_string(), path, found),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    self.walk(item, path, found);
                    path.pop();
                }
            }
            Value::Object(map) => self.walk_entries(map.iter(), path, found),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn walk_entries<'v>(
        &self,
        entries: impl Iterator<Item = (&'v String, &'v Value)>,
        path: &mut Vec<Step<'v>>,
        found: &mut Vec<Found>,
    ) {
        for (key, value) in entries {
            path.push(Step::Key(key));
            self.hit(key, path, found);
            self.walk(value, path, found);
            path.pop();
        }
    }

    fn hit(&self, text: &str, path: &[Step<'_>], found: &mut Vec<Found>) {
        if let Some(owner) = self.owner_in(text) {
            let path = path.iter().fold(DocPath::root(), |out, step| match step {
                Step::Key(key) => out.key(self.shown(key)),
                Step::Index(i) => out.index(*i),
            });
            found.push(Found { path, owner });
        }
    }
}

impl std::fmt::Debug for SecretGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretGuard")
            .field("patterns", &self.runs.len())
            .field("whole", &self.whole.len())
            .field("bytes", &self.runs.memory_usage())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "Qm7-secret-Zt94x";

    fn guard() -> SecretGuard {
        SecretGuard::new([("resource `a`", SECRET)]).unwrap()
    }

    #[test]
    fn a_short_secret_written_as_a_number_may_be_found_in_the_json() {
        let g = SecretGuard::new([("resource `a`", "123456")]).unwrap();
        let object = json!({"kind": "ConfigMap", "spec": {"port": 123456}});
        assert!(g.check_object(&object, "it").is_err(), "the check finds it");
        let text = serde_json::to_string(&object).unwrap();
        assert!(
            g.may_find_in_json(&text),
            "so the quick look may not rule it out"
        );
        let other = serde_json::to_string(&json!({"spec": {"port": 8080}})).unwrap();
        assert!(!g.may_find_in_json(&other));
    }

    #[test]
    fn redaction_merges_overlapping_runs_and_keeps_other_text() {
        let g = guard();
        assert_eq!(g.redact(&format!("x {SECRET} y")), "x *** y");
        let upper = SECRET.to_uppercase();
        assert_eq!(g.redact(&format!("{upper}{upper}!")), "***!");
        assert_eq!(g.redact("nothing here"), "nothing here");
    }

    #[test]
    fn scrubbing_reaches_messages_files_and_paths() {
        let location = Location::in_file(format!("/tmp/{SECRET}.yaml"))
            .with_path(DocPath::root().key("data").key(SECRET).index(0));
        let err = Error::new(ErrorKind::Invalid, location, format!("bad `{SECRET}`"));
        let shown = format!("{:?}", guard().scrub(err));
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains("bad `***`"), "{shown}");
    }

    #[test]
    fn a_secret_kind_or_name_is_not_described_and_keys_are_masked_in_paths() {
        let g = guard();
        let object = json!({"kind": format!("K{SECRET}"), "metadata": {"name": SECRET},
                            "data": {SECRET: "v"}});
        assert_eq!(
            g.describe(&object),
            "an object (kind not shown: it holds a secret) (name not shown: it holds a secret)"
        );
        let err = g.check_object(&object, "it").unwrap_err();
        let paths: Vec<String> = err
            .diagnostics()
            .iter()
            .map(|d| d.location.path.to_string())
            .collect();
        assert_eq!(paths, ["data[\"***\"]", "kind", "metadata.name"]);
        assert!(!err.to_string().contains(SECRET), "{err}");
    }

    #[test]
    fn only_the_data_of_a_v1_secret_may_hold_a_secret() {
        let g = guard();
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                            "stringData": {"k": SECRET}, "data": {"k": SECRET}});
        assert_eq!(g.check_object(&secret, "it"), Ok(()));
        let mut labelled = secret.clone();
        labelled["metadata"]["labels"] = json!({"l": SECRET});
        assert!(g.check_object(&labelled, "it").is_err());
        let mut other = secret;
        other["apiVersion"] = json!("example.com/v1");
        assert!(g.check_object(&other, "it").is_err());
    }

    #[test]
    fn public_words_are_left_out() {
        let public = PublicWords::new(["web-qm7-secret-db"]);
        let g = SecretGuard::with_public([("resource `a`", SECRET)], &public).unwrap();
        assert_eq!(g.found_in("qm7-secret"), None);
        assert!(g.found_in("secret-Zt94x").is_some());
    }

    /// The runs of the public words as first defined: every text, lower-cased, and each of its
    /// variants with the characters that are not letters or digits written as `-`, `_`, `.`.
    fn every_variant_run(texts: &[&str]) -> Runs<()> {
        let mut runs = Runs::default();
        for text in texts {
            let lower = text.to_ascii_lowercase();
            let mut variants = vec![lower.clone()];
            for s in ['-', '_', '.'] {
                variants.push(
                    lower
                        .chars()
                        .map(|c| if c.is_alphanumeric() { c } else { s })
                        .collect(),
                );
            }
            for variant in variants {
                let chars: Vec<(usize, char)> = variant.char_indices().collect();
                for i in 0..chars.len() {
                    if i + crate::secrets::WINDOW <= chars.len() {
                        let end = chars
                            .get(i + crate::secrets::WINDOW)
                            .map_or(variant.len(), |c| c.0);
                        runs.insert(&variant[chars[i].0..end], ());
                    }
                }
            }
        }
        runs
    }

    proptest::proptest! {
        /// Words made in parts, in any split and order, are the words of all the texts.
        #[test]
        fn public_words_made_in_parts_are_the_same(
            texts in proptest::collection::vec("[a-zA-Z0-9#._ü-]{0,30}", 0..40),
            split in 0_usize..40,
        ) {
            let split = split.min(texts.len());
            let all = PublicWords::new(texts.iter().map(String::as_str));
            let mut parts = PublicWords::new(texts[split..].iter().map(String::as_str));
            parts.add(texts[..split].iter().map(String::as_str));
            proptest::prop_assert_eq!(all.0.len(), parts.0.len());
            proptest::prop_assert_eq!(all.0.without(&parts.0).len(), 0);
        }
    }

    #[test]
    fn public_words_hold_every_run_of_every_variant_once() {
        let texts = [
            "shop",
            "postgres.default#shop.db",
            "postgres.default#shop.db",
            "DB_PASSWORD",
            "exactly8",
            "main",
            "web-qm7-secret-db",
            "ünïcode-näme.with#marks",
            "日本語のなまえ-とても-ながい",
            "MiXeD.Case_and-dash",
            "",
        ];
        let public = PublicWords::new(texts);
        let expected = every_variant_run(&texts);
        assert!(public.0.len() > 50, "{}", public.0.len());
        assert_eq!(public.0.len(), expected.len());
        assert_eq!(public.0.without(&expected).len(), 0);
        assert_eq!(expected.without(&public.0).len(), 0);
        assert!(public.0.contains("t#shop.d"));
        assert!(public.0.contains("t-shop-d"));
        assert!(public.0.contains("exactly8"));
    }
}
