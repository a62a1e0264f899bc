//! Tables as CSV (RFC 4180), written from the result object itself so that a CSV column
//! exists for every JSON field and both give the same digits.

use serde::Serialize;
use serde_json::{Map, Value};

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One CSV line (CRLF-free: `\n`, as spreadsheets and R read it everywhere).
pub fn line(fields: &[String]) -> String {
    let mut s = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}

/// A JSON scalar as CSV text: null → empty, arrays joined by `"; "`.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("; "),
        Value::Object(_) => String::new(),
    }
}

/// Flattens one record: nested objects' fields become columns of their own (named by the
/// inner key, or `outer_inner` when the inner key is taken).
fn flatten(record: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in record {
        match value {
            Value::Object(inner) => {
                for (k, v) in inner {
                    let name = if k == key || !record.contains_key(k) {
                        k.clone()
                    } else {
                        format!("{key}_{k}")
                    };
                    out.push((name, cell(v)));
                }
            }
            other => out.push((key.clone(), cell(other))),
        }
    }
}

/// Records (structs serialising to JSON objects) as a CSV table: one column per field, in
/// field order, nested objects flattened. `None` when a record is not an object.
pub fn records<T: Serialize>(rows: &[T]) -> Option<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut flat_rows = Vec::with_capacity(rows.len());
    for row in rows {
        let Value::Object(map) = serde_json::to_value(row).ok()? else {
            return None;
        };
        let mut flat = Vec::new();
        flatten(&map, &mut flat);
        for (name, _) in &flat {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
        flat_rows.push(flat);
    }
    let mut out = line(&columns);
    for flat in flat_rows {
        let fields: Vec<String> = columns
            .iter()
            .map(|c| {
                flat.iter()
                    .find(|(name, _)| name == c)
                    .map_or_else(String::new, |(_, v)| v.clone())
            })
            .collect();
        out.push_str(&line(&fields));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        pt: &'static str,
        a: u64,
        ror: Option<f64>,
        socs: Vec<&'static str>,
        ebgm: Option<Inner>,
    }

    #[derive(Serialize)]
    struct Inner {
        ebgm: f64,
        eb05: f64,
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn records_flatten_nested_objects_and_keep_json_digits() {
        let rows = [
            Row {
                pt: "VENO-OCCLUSIVE DISEASE",
                a: 97,
                ror: Some(486.0208),
                socs: vec!["Hepatobiliary disorders", "Vascular disorders"],
                ebgm: Some(Inner {
                    ebgm: 2.5,
                    eb05: 1.25,
                }),
            },
            Row {
                pt: "NAUSEA, SEVERE",
                a: 1,
                ror: None,
                socs: vec![],
                ebgm: None,
            },
        ];
        assert_eq!(
            records(&rows).unwrap(),
            "pt,a,ror,socs,ebgm,eb05\n\
             VENO-OCCLUSIVE DISEASE,97,486.0208,Hepatobiliary disorders; Vascular disorders,2.5,1.25\n\
             \"NAUSEA, SEVERE\",1,,,,\n"
        );
        assert_eq!(records::<Row>(&[]).unwrap(), "\n");
    }
}
