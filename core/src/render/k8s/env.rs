//! Environment variables of a container from resolved values: outputs escaped for the
//! kubelet, secrets only ever referenced.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::hash::secret_ref_variable;
use super::problems::error;
use crate::render::input::{Piece, Resolved, SecretRef};
use crate::{DocPath, ErrorKind};

/// The `env` list of a container: helper variables (`__ref_*`) first, then the variables, each
/// group sorted by name. `path` is the container's path in the workload.
pub(super) fn env_vars(
    variables: &BTreeMap<String, Resolved>,
    path: &DocPath,
) -> crate::Result<Vec<Value>> {
    let mut helpers: BTreeMap<String, &SecretRef> = BTreeMap::new();
    let mut vars = Vec::new();
    for (name, resolved) in variables {
        vars.push(env_var(name, resolved, &mut helpers));
    }
    if let Some(taken) = helpers.keys().find(|h| variables.contains_key(*h)) {
        let at = path.clone().key("variables").key(taken.clone());
        let message = format!(
            "the variable `{taken}` has the name goldpath gives the helper variable of a secret: rename it"
        );
        return Err(error(ErrorKind::Name, at, message));
    }
    let helpers = helpers.into_iter().map(|(name, secret)| {
        json!({"name": name, "valueFrom": {"secretKeyRef": secret_key_ref(secret)}})
    });
    Ok(helpers.chain(vars).collect())
}

/// One variable; the helpers its secrets need are added to `helpers`.
fn env_var<'a>(
    name: &str,
    resolved: &'a Resolved,
    helpers: &mut BTreeMap<String, &'a SecretRef>,
) -> Value {
    let pieces: Vec<&Piece> = resolved.0.iter().filter(|p| !is_empty(p)).collect();
    if let [Piece::Secret(secret)] = pieces.as_slice() {
        return json!({"name": name, "valueFrom": {"secretKeyRef": secret_key_ref(secret)}});
    }
    let mut value = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => value.push_str(text),
            Piece::Output(text) => value.push_str(&text.replace('$', "$$")),
            Piece::Secret(secret) => {
                let helper = secret_ref_variable(secret);
                value.push_str(&format!("$({helper})"));
                helpers.insert(helper, secret);
            }
        }
    }
    if value.is_empty() {
        json!({ "name": name })
    } else {
        json!({"name": name, "value": value})
    }
}

fn is_empty(piece: &Piece) -> bool {
    matches!(piece, Piece::Text(t) | Piece::Output(t) if t.is_empty())
}

fn secret_key_ref(secret: &SecretRef) -> Value {
    json!({"name": secret.name, "key": secret.key})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(name: &str, key: &str) -> Piece {
        Piece::Secret(SecretRef {
            name: name.to_owned(),
            key: key.to_owned(),
        })
    }

    fn vars(entries: &[(&str, Vec<Piece>)]) -> Vec<Value> {
        let variables = entries
            .iter()
            .map(|(name, pieces)| ((*name).to_owned(), Resolved(pieces.clone())))
            .collect();
        env_vars(&variables, &DocPath::root()).unwrap()
    }

    #[test]
    fn empty_pieces_do_not_hide_a_lone_secret() {
        let out = vars(&[(
            "PW",
            vec![Piece::Text(String::new()), secret("db", "password")],
        )]);
        assert_eq!(
            out,
            [
                json!({"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}})
            ]
        );
    }

    #[test]
    fn one_helper_serves_every_use_of_a_secret() {
        let out = vars(&[
            ("A", vec![Piece::Text("x=".into()), secret("db", "pw")]),
            ("B", vec![secret("db", "pw"), Piece::Output("$y".into())]),
        ]);
        let helper = secret_ref_variable(&SecretRef {
            name: "db".into(),
            key: "pw".into(),
        });
        assert_eq!(out.len(), 3);
        assert_eq!(out[0]["name"], helper.as_str());
        assert_eq!(out[1]["value"], format!("x=$({helper})"));
        assert_eq!(out[2]["value"], format!("$({helper})$$y"));
    }

    #[test]
    fn a_variable_named_like_a_helper_is_refused() {
        let helper = secret_ref_variable(&SecretRef {
            name: "db".into(),
            key: "pw".into(),
        });
        let variables = BTreeMap::from([
            (helper.clone(), Resolved(vec![Piece::Text("x".into())])),
            (
                "URL".to_owned(),
                Resolved(vec![Piece::Text("u:".into()), secret("db", "pw")]),
            ),
        ]);
        let err = env_vars(&variables, &DocPath::root()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Name);
        assert!(err.message().contains(&helper), "{err}");
    }
}
