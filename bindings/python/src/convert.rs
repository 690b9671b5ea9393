//! Python values to JSON values and back, walked directly: no text in between.

use goldpath::load::{Limits, ValueBudget};
use goldpath::{DocPath, Error, ErrorKind, Location, PathSegment};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Why a Python value has no JSON form, and where (innermost segment first).
struct Unconvertible {
    kind: ErrorKind,
    message: String,
    reversed_path: Vec<PathSegment>,
}

impl Unconvertible {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            reversed_path: Vec::new(),
        }
    }

    fn under(mut self, segment: PathSegment) -> Self {
        self.reversed_path.push(segment);
        self
    }

    /// The first problem of a goldpath error (a budget passed), to be located here.
    fn from_error(error: &Error) -> Self {
        Self::new(error.kind(), error.message())
    }

    fn into_error(self, source: Option<&str>) -> Error {
        let path = self
            .reversed_path
            .into_iter()
            .rev()
            .fold(DocPath::root(), |path, segment| match segment {
                PathSegment::Key(k) => path.key(k),
                PathSegment::Index(i) => path.index(i),
            });
        let location = Location {
            file: source.map(str::to_owned),
            ..Location::default()
        }
        .with_path(path);
        Error::new(self.kind, location, self.message)
    }
}

/// A Python value as JSON: `dict` with `str` keys, `list` and `tuple`, `str`, `bool`, `int`,
/// `float` and `None`. The core's [`ValueBudget`] counts every node as it is converted, so a
/// value deeper, larger or with more nodes than `limits` allow (a dict that contains itself, or
/// shares one dict many times, included) is a [`ErrorKind::Limit`] error before it is copied
/// whole; other types are [`ErrorKind::Schema`] errors naming the path. `source` names the
/// input in errors.
pub fn to_value(
    obj: &Bound<'_, PyAny>,
    limits: &Limits,
    source: Option<&str>,
) -> goldpath::Result<Value> {
    walk(obj, &mut ValueBudget::new(limits)).map_err(|e| e.into_error(source))
}

fn walk(obj: &Bound<'_, PyAny>, budget: &mut ValueBudget) -> Result<Value, Unconvertible> {
    let value = scalar(obj)?;
    if let Some(value) = value {
        let bytes = goldpath::load::scalar_bytes(&value);
        budget
            .scalar(bytes)
            .map_err(|e| Unconvertible::from_error(&e))?;
        return Ok(value);
    }
    budget.open().map_err(|e| Unconvertible::from_error(&e))?;
    let value = collection(obj, budget)?;
    budget.close();
    Ok(value)
}

/// The value of a scalar, `None` for anything else.
fn scalar(obj: &Bound<'_, PyAny>) -> Result<Option<Value>, Unconvertible> {
    if obj.is_none() {
        return Ok(Some(Value::Null));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Some(Value::Bool(b.is_true())));
    }
    if obj.is_instance_of::<PyInt>() {
        return integer(obj).map(Some);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(|n| Some(Value::Number(n)))
            .ok_or_else(|| {
                Unconvertible::new(
                    ErrorKind::Schema,
                    "a float that is not finite has no YAML/JSON form",
                )
            });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Some(Value::String(s.into_owned())))
            .map_err(|_| Unconvertible::new(ErrorKind::Schema, "text that is not valid UTF-8"));
    }
    Ok(None)
}

/// A dict, list or tuple, its items counted by `budget`; a schema error for other types.
fn collection(obj: &Bound<'_, PyAny>, budget: &mut ValueBudget) -> Result<Value, Unconvertible> {
    if let Ok(dict) = obj.cast::<PyDict>() {
        return mapping(dict, budget);
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return sequence(list.iter(), budget);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return sequence(tuple.iter(), budget);
    }
    let type_name = obj
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    Err(Unconvertible::new(
        ErrorKind::Schema,
        format!(
            "a `{type_name}` has no YAML/JSON form: use dict, list, str, int, float, bool or None"
        ),
    ))
}

fn integer(obj: &Bound<'_, PyAny>) -> Result<Value, Unconvertible> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    obj.extract::<u64>()
        .map(Value::from)
        .map_err(|_| Unconvertible::new(ErrorKind::Schema, "an integer outside the 64-bit range"))
}

fn mapping(dict: &Bound<'_, PyDict>, budget: &mut ValueBudget) -> Result<Value, Unconvertible> {
    let mut map = Map::new();
    for (key, item) in dict.iter() {
        let Ok(key) = key.cast::<PyString>().map(|k| k.to_string()) else {
            return Err(Unconvertible::new(
                ErrorKind::Schema,
                "a mapping key that is not a str: YAML/JSON keys are text",
            ));
        };
        let under = |e: Unconvertible| e.under(PathSegment::Key(key.clone()));
        budget
            .scalar(key.len())
            .map_err(|e| under(Unconvertible::from_error(&e)))?;
        let value = walk(&item, budget).map_err(under)?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    budget: &mut ValueBudget,
) -> Result<Value, Unconvertible> {
    items
        .enumerate()
        .map(|(i, item)| walk(&item, budget).map_err(|e| e.under(PathSegment::Index(i))))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// A JSON value as Python: objects become `dict`, arrays `list`, numbers `int` or `float`.
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

fn number<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        return Ok(i.into_pyobject(py)?.into_any());
    }
    if let Some(u) = n.as_u64() {
        return Ok(u.into_pyobject(py)?.into_any());
    }
    Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
}

/// A list of JSON values as a Python list.
pub fn list_to_python<'py>(py: Python<'py>, values: &[Value]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for value in values {
        list.append(to_python(py, value)?)?;
    }
    Ok(list)
}
